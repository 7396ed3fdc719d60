import Foundation

#if canImport(CoreFoundation)
    import CoreFoundation
#endif

/// Turns bytes in a named MIME charset into a String.
///
/// Foundation's `String.Encoding(ianaName:)` knows the common names; CoreFoundation's
/// IANA table adds the rest it can convert (gb2312, iso-8859-15, koi8-r, big5...).
public enum MimeCharset {
    /// The encoding for a charset label (`utf-8`, `ISO-8859-1`, `"shift_jis"`), or nil when unknown.
    public static func encoding(named label: String) -> String.Encoding? {
        let name = MimeText.trimmed(label, also: "\"'").lowercased()
        guard !name.isEmpty else { return nil }
        switch name {
        case "utf8", "utf-8": return .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968": return .ascii
        case "latin1", "latin-1", "iso8859-1", "iso-8859-1", "iso_8859-1": return .isoLatin1
        case "cp1252", "windows-1252": return .windowsCP1252
        default: break
        }
        if let known = String.Encoding(ianaName: name) { return known }
        #if canImport(CoreFoundation)
            let cfName = unsafeBitCast(NSString(string: name), to: CFString.self)
            let cf = CFStringConvertIANACharSetNameToEncoding(cfName)
            if cf != kCFStringEncodingInvalidId {
                return String.Encoding(rawValue: UInt(CFStringConvertEncodingToNSStringEncoding(cf)))
            }
        #endif
        return nil
    }

    /// Decodes bytes in `charset`; nil when the charset is unknown or the bytes are invalid in it.
    public static func decode<C: Collection<UInt8>>(_ bytes: C, charset: String) -> String? {
        guard let encoding = encoding(named: charset) else { return nil }
        if encoding == .ascii || encoding == .utf8 {
            // Mail labelled us-ascii often carries UTF-8; both read the same for pure ASCII.
            return String(validating: bytes, as: UTF8.self)
        }
        return String(data: Data(bytes), encoding: encoding)
    }

    /// Best-effort text: the declared charset, else UTF-8, else Latin-1 (which never fails).
    public static func text<C: Collection<UInt8>>(_ bytes: C, charset: String?) -> String {
        if let charset, let decoded = decode(bytes, charset: charset) { return decoded }
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        // Latin-1: every byte is the code point of the same value.
        var text = ""
        text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return text
    }
}
