using System.Collections.Frozen;

namespace NewsBot.Knowledge;

/// <summary>
/// The most frequent function words of every language <see cref="LanguageDetector"/> names. The Latin-script
/// ones drive language detection; all are left out of similarity, keyphrases and fingerprints, where they carry
/// no content (without its own list, an Urdu article's keyphrases were its commonest particles).
/// </summary>
public static class StopWords
{
    public static FrozenDictionary<string, FrozenSet<string>> ByLanguage { get; } = new Dictionary<string, FrozenSet<string>>
    {
        ["en"] = Set("the of and to a in is it that for on was with as he she at by be this from have has had are were not or but an they his her their its which will would said there been who also more one all about after up out than into when we you can could new over what them so no if i my our your just do did does says year years mr mrs ms two " +
            "now being go going get got make made like well back even way may might should must very told say including how why these those such some any other only own same then because before over under between against during without within him me us off down much still many most"),
        ["de"] = Set("der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei ich wir ihr ihre diese dieser"),
        ["fr"] = Set("le la les de des du un une et en est que qui dans pour pas au aux sur par plus ne se ce il elle ont sont avec son sa ses ou mais été être a cette comme nous vous leur leurs tout aussi fait entre après"),
        ["es"] = Set("el la los las de del y en que un una es por con para no se su sus al lo como más pero ha son este esta fue ser también entre sobre hay le ya muy sin todo cuando desde donde porque está han"),
        ["it"] = Set("il lo la i gli le di del della dei delle e è un una che in per con non si da al alla nel nella sono come anche più ma ha hanno questo questa su tra dal dalla essere stato sua suo loro"),
        ["pt"] = Set("o a os as de do da dos das e em no na nos nas um uma que é para com não por se mais como mas foi ao aos ser são também seu sua ou está pelo pela já entre sobre isso ele ela"),
        ["nl"] = Set("de het een en van in is dat op te zijn met voor niet aan er die ook als bij door maar om dan nog wordt werd naar uit heeft hebben worden was deze dit kan zich wel geen meer over tot"),
        ["sv"] = Set("och i att det som en på är av för med till den har de inte om ett men var jag han hon så från vi kan ska vid eller efter sig skulle när också över än under mot bara alla hade detta där"),
        ["pl"] = Set("i w na z że się nie do jest to o jak od po ale za co tak przez jego już czy są być był była było przy tylko może oraz dla tym które który która ich także pod jednak jako lub"),
        ["tr"] = Set("ve bir bu da de ile için ne olarak daha çok gibi en olan ama kadar sonra ise o şu her değil mi ya veya ancak göre büyük yeni ilk diye bunu olduğu oldu var yok"),
        ["ru"] = Set("и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам без чего раз тоже себе под будет тогда кто этот того потому этого какой здесь этом один мой тем чтобы были куда можно при два об другой после над больше тот через эти нас про всего них какая много три эту моя свою этой перед более всегда между это также который которые которая которых года году"),
        ["uk"] = Set("і й та в у на з із зі до від за що це як але не ні він вона воно вони ми ви я його її їх був була було були є буде бути для по про при під над між після перед через також вже ще тільки коли якщо або чи тому який яка яке які цей ця ці той те свій своє своїх року"),
        ["ar"] = Set("في من على إلى الى عن أن ان إن التي الذي الذين هذا هذه ذلك تلك مع كان كانت قد لا ما لم لن هو هي هم كل بين بعد قبل عند حتى أو او ثم إلا غير أي منذ كما أيضا خلال حيث وقال قال وفي"),
        ["fa"] = Set("و در به از که این را با است برای آن یک تا هم می شود شد بود کرد کند خود ما او آنها نیز بر یا اما پس اگر هر بین پیش چه دیگر همه وی ای های ها"),
        ["ur"] = Set("کے کی کا ہے میں اور سے کو نے پر یہ ہیں تھا تھی تھے وہ بھی کہ ایک گیا گئی گئے کر کیا کرنے ہو ہوں ہوئے ہوا جو اس ان نہیں لیے لئے تک جب کیونکہ اپنے اپنی والے والی ساتھ بعد پہلے رہا رہی رہے سکتا سکتی گا گی گے تو ہی یا"),
        ["he"] = Set("של את על עם הוא היא הם הן זה זו זאת לא כי אם או גם כל אבל רק יש אין היה היתה היו אשר אל מן עוד כבר אחרי לפני בין כמו אני אנחנו"),
        ["el"] = Set("και το η ο οι τα του της των τον την να σε με για από που είναι θα δεν στο στη στην στον στα στις στους ένα μια ως αλλά ή όπως μετά πριν ενώ έχει έχουν ήταν αυτό αυτή αυτός"),
        ["hi"] = Set("के का की है में और से को ने पर यह हैं था थी थे वह भी कि एक गया गई गए कर किया करने हो हुआ हुए जो इस उस इन उन नहीं लिए तक जब अपने अपनी वाले वाली साथ बाद पहले रहा रही रहे सकता सकती तो ही या"),
        ["ko"] = Set("이 그 저 것 수 등 및 또 또는 그리고 하지만 그러나 있다 없다 했다 한다 하는 있는 위해 대한 통해 이번 지난 때문 중 더 같은"),
        ["ja"] = Set("の に は を た が で て と し れ さ ある いる も する から な こと として い や れる など なっ ない この ため その あっ よう また もの という あり まで られ なる へ か だ これ によって により おり より による ず なり られる において ば なかっ なく しかし について せ だっ できる それ う ので なお のみ でき き つ における および いう さらに でも ら たり ます ん なら"),
        ["zh"] = Set("的 了 和 是 在 也 都 而 及 与 这 那 就 不 有 我 他 她 它 们 个 上 中 为 对 以 等 从 将 被 把 说 到 要 会 可以 因为 所以 但是 如果 已经"),
        ["th"] = Set("และ ที่ ใน ของ เป็น ได้ ให้ ว่า มี การ จะ ไม่ กับ แล้ว นี้ จาก โดย ไป มา ก็ หรือ แต่ อยู่ คือ เพื่อ ซึ่ง ความ"),
    }.ToFrozenDictionary();

    /// <summary>The Latin-script languages: the profiles language detection compares Latin text against.</summary>
    public static FrozenDictionary<string, FrozenSet<string>> LatinScript { get; } = ByLanguage
        .Where(pair => pair.Value.Any(word => word.All(c => c < 0x250)))
        .ToFrozenDictionary();

    /// <summary>True when the lower-case word is a function word of the given language (English when unknown).</summary>
    public static bool Contains(string? language, string word) => For(language).Contains(word);

    /// <summary>The function words of the given language (English when unknown).</summary>
    public static FrozenSet<string> For(string? language) =>
        language is not null && ByLanguage.TryGetValue(language, out var words) ? words : ByLanguage["en"];

    private static FrozenSet<string> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
