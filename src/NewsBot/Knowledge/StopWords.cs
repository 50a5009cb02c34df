using System.Collections.Frozen;

namespace NewsBot.Knowledge;

/// <summary>
/// The most frequent function words of the Latin-script languages we detect. They drive language
/// detection and are left out of similarity, keyphrases and fingerprints, where they carry no content.
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
    }.ToFrozenDictionary();

    /// <summary>True when the lower-case word is a function word of the given language (English when unknown).</summary>
    public static bool Contains(string? language, string word) =>
        (language is not null && ByLanguage.TryGetValue(language, out var words) ? words : ByLanguage["en"]).Contains(word);

    private static FrozenSet<string> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
