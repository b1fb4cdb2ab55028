using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace UFBrowsers.Api.Contracts.Validation;

/// <summary>
/// Text that is shown to people (names, reasons): no control characters (Cc), no format characters (Cf: the bidi
/// embeddings and overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width characters, the BOM), no line or
/// paragraph separators and no unpaired surrogates. Such characters make a name display as something it is not
/// ("gpj.exe" shown for "exe.jpg") or break the logs and tables it appears in.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string text || FirstHidden(text) < 0;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var at = value is string text ? FirstHidden(text) : -1;
        if (at < 0)
        {
            return ValidationResult.Success;
        }

        var member = validationContext.MemberName ?? validationContext.DisplayName;
        return new ValidationResult(
            $"{validationContext.DisplayName} must be plain text: U+{(int)((string)value!)[at]:X4} at position {at} is a control, format or bidirectional-override character.",
            member is null ? null : [member]);
    }

    /// <summary>The index of the first character that is not plain text, or -1.</summary>
    public static int FirstHidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i))
            {
                i++;
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(text[i]) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return i;
            }
        }

        return -1;
    }
}
