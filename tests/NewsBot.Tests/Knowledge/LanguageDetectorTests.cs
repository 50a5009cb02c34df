using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class LanguageDetectorTests
{
    [Theory]
    [InlineData("The government said on Monday that it would raise taxes for the first time in a decade.", "en")]
    [InlineData("Die Regierung hat am Montag mitgeteilt, dass die Steuern zum ersten Mal seit zehn Jahren steigen werden.", "de")]
    [InlineData("Le gouvernement a annoncé lundi que les impôts vont augmenter pour la première fois depuis dix ans.", "fr")]
    [InlineData("El gobierno anunció el lunes que los impuestos subirán por primera vez en una década.", "es")]
    [InlineData("Il governo ha annunciato lunedì che le tasse aumenteranno per la prima volta in dieci anni.", "it")]
    [InlineData("O governo anunciou na segunda-feira que os impostos vão subir pela primeira vez em uma década.", "pt")]
    [InlineData("De regering heeft maandag gezegd dat de belastingen voor het eerst in tien jaar omhoog gaan.", "nl")]
    [InlineData("Regeringen meddelade på måndagen att skatterna ska höjas för första gången på tio år och det är inte populärt.", "sv")]
    [InlineData("Rząd poinformował w poniedziałek, że podatki wzrosną po raz pierwszy od dziesięciu lat i nie jest to popularne.", "pl")]
    [InlineData("Hükümet pazartesi günü vergilerin on yıl sonra ilk kez artacağını ve bu kararın çok tartışılacağını açıkladı.", "tr")]
    [InlineData("北京时间周一，政府宣布十年来首次提高税收。", "zh")]
    [InlineData("政府は月曜日、十年ぶりに増税すると発表した。", "ja")]
    [InlineData("정부는 월요일 10년 만에 처음으로 세금을 인상한다고 발표했다.", "ko")]
    [InlineData("Правительство в понедельник объявило о повышении налогов впервые за десять лет.", "ru")]
    [InlineData("Уряд у понеділок оголосив про підвищення податків уперше за десять років.", "uk")]
    [InlineData("أعلنت الحكومة يوم الاثنين أنها سترفع الضرائب لأول مرة منذ عشر سنوات.", "ar")]
    [InlineData("حکومت نے پیر کے روز اعلان کیا کہ دس سال میں پہلی بار ٹیکس بڑھائے جائیں گے۔", "ur")]
    [InlineData("دولت روز دوشنبه اعلام کرد که برای نخستین بار در ده سال گذشته مالیات را افزایش می‌دهد.", "fa")]
    [InlineData("הממשלה הודיעה ביום שני כי תעלה את המסים לראשונה מזה עשור.", "he")]
    [InlineData("Η κυβέρνηση ανακοίνωσε τη Δευτέρα ότι θα αυξήσει τους φόρους για πρώτη φορά.", "el")]
    [InlineData("รัฐบาลประกาศเมื่อวันจันทร์ว่าจะขึ้นภาษีเป็นครั้งแรกในรอบสิบปี", "th")]
    [InlineData("सरकार ने सोमवार को घोषणा की कि दस साल में पहली बार कर बढ़ाए जाएंगे।", "hi")]
    public void Detect_NewsSentence_ReturnsLanguage(string text, string expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("OK")]
    [InlineData("12345 67890 !!!")]
    public void Detect_TooLittleText_ReturnsNull(string? text) => Assert.Null(LanguageDetector.Detect(text));
}
