using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace NewsBot.Feeds.Fetching;

/// <summary>
/// The SSRF guard: a feed URL must not reach loopback, private, link-local (cloud metadata), multicast or
/// otherwise special addresses. It runs inside the connection callback, on the address actually dialled,
/// so a name that resolves to a public address for a check and a private one for the connection
/// (DNS rebinding) cannot slip through.
/// </summary>
public sealed class AddressGuard(FeedNetwork network, IOptions<FeedsOptions> options)
{
    /// <summary>True when the address is public unicast, the only kind a feed may live on.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicIPv4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicIPv6(address),
            _ => false,
        };
    }

    /// <summary>
    /// Resolves <paramref name="host"/>, refuses it when any of its addresses is not public (unless private
    /// addresses are allowed), then connects to the first address that answers.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken);
        if (!options.Value.AllowPrivateAddresses && addresses.FirstOrDefault(a => !IsPublic(a)) is { } blocked)
        {
            throw new FetchRefusedException($"fetch.blocked_address: {blocked}");
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await network.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        throw new FetchRefusedException($"fetch.connect: {host}: {last?.SocketErrorCode}", last);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        // Uri hosts keep the brackets of an IPv6 literal.
        var name = host.Trim('[', ']');
        if (IPAddress.TryParse(name, out var literal))
        {
            return [literal];
        }

        try
        {
            var addresses = await network.ResolveAsync(name, cancellationToken);
            return addresses.Length > 0 ? addresses : throw new FetchRefusedException($"fetch.dns: {name}: no addresses");
        }
        catch (SocketException ex)
        {
            throw new FetchRefusedException($"fetch.dns: {name}: {ex.SocketErrorCode}", ex);
        }
    }

    private static bool IsPublicIPv4(byte[] b) => b switch
    {
        [0, ..] => false,                                  // "this network" and unspecified (RFC 1122)
        [10, ..] => false,                                 // private (RFC 1918)
        [100, >= 64 and <= 127, ..] => false,              // carrier-grade NAT (RFC 6598)
        [127, ..] => false,                                // loopback
        [169, 254, ..] => false,                           // link-local, cloud metadata 169.254.169.254 (RFC 3927)
        [172, >= 16 and <= 31, ..] => false,               // private (RFC 1918)
        [192, 168, ..] => false,                           // private (RFC 1918)
        [>= 224, ..] => false,                             // multicast, reserved and broadcast (RFC 5771, RFC 1112)
        _ => true,
    };

    private static bool IsPublicIPv6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return false;
        }

        var b = address.GetAddressBytes();
        if ((b[0] & 0xFE) == 0xFC)
        {
            return false; // unique local fc00::/7 (RFC 4193)
        }

        // NAT64 64:ff9b::/96 (RFC 6052) reaches the IPv4 address in its last four bytes.
        ReadOnlySpan<byte> nat64 = [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0];
        return !b.AsSpan(0, 12).SequenceEqual(nat64) || IsPublicIPv4(b[12..]);
    }
}

/// <summary>Name resolution and TCP connection: the two steps the guard sits between.</summary>
/// <remarks>Tests derive from it to simulate public hosts that are really served on loopback.</remarks>
public class FeedNetwork
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);

    public virtual async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Raised inside the connection callback (which can only fail by throwing); the fetcher turns it into a result.</summary>
internal sealed class FetchRefusedException(string reason, Exception? inner = null) : IOException(reason, inner)
{
    public string Reason => Message;
}
