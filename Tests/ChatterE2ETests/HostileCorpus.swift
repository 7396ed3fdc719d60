import Foundation

/// Strings built to attack a terminal: every C0 and C1 control, CSI / OSC /
/// DCS sequences (terminated and not), carriage-return overwrites, bidi
/// overrides, zero-width characters, and each of those again inside RFC 2047
/// encoded words. Invalid UTF-8 comes as raw bytes (for `--body-file`).
enum HostileCorpus {
    static let esc = "\u{1B}"

    /// Text samples (each marked with "HX" so a test can find what it drew).
    static var strings: [String] {
        var out: [String] = []
        for b in 0x00...0x1F { out.append("HX c0 \(b) <\(Character(Unicode.Scalar(UInt8(b))))> end") }
        out.append("HX del <\u{7F}> end")
        for b in 0x80...0x9F { out.append("HX c1 \(b) <\(Character(Unicode.Scalar(UInt8(b))))> end") }
        out += [
            "HX csi clear \(esc)[2J\(esc)[H after",
            "HX csi colour \(esc)[31;1mRED\(esc)[0m",
            "HX csi move \(esc)[1;1HTOPLEFT",
            "HX csi altscreen off \(esc)[?1049l",
            "HX csi insert lines \(esc)[20L",
            "HX csi scroll region \(esc)[1;2r",
            "HX 8bit csi \u{9B}2J \u{9B}31m",
            "HX osc0 \(esc)]0;PWNED-TITLE\u{07}",
            "HX osc2 \(esc)]2;PWNED-TITLE\(esc)\\",
            "HX osc8 \(esc)]8;;https://evil.example/\(esc)\\click\(esc)]8;;\(esc)\\",
            "HX osc52 \(esc)]52;c;UFdORUQtQ0xJUA==\u{07}",
            "HX osc52 st \(esc)]52;p;UFdORUQ=\(esc)\\",
            "HX 8bit osc \u{9D}0;PWNED-TITLE\u{9C}",
            "HX dcs \(esc)P+q544e\(esc)\\",
            "HX dcs tmux \(esc)Ptmux;\(esc)\(esc)]2;PWNED-TITLE\u{07}\(esc)\\",
            "HX window name \(esc)kPWNED-NAME\(esc)\\",
            "HX unterminated osc \(esc)]0;PWNED-TITLE",
            "HX unterminated csi \(esc)[",
            "HX unterminated dcs \(esc)P",
            "HX lone esc \(esc)",
            "HX cr overwrite safe\rEVIL",
            "HX cr erase ok\r\(esc)[K",
            "HX crlf split\r\nsecond line",
            "HX backspaces abc\u{08}\u{08}\u{08}XYZ",
            "HX bidi rlo \u{202E}evil.exe\u{202C}",
            "HX bidi lro \u{202D}abc\u{202C}",
            "HX bidi isolates \u{2066}a\u{2067}b\u{2068}c\u{2069}",
            "HX rlm lrm \u{200F}x\u{200E}",
            "HX zero width \u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}",
            "HX combining pile e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}",
            "HX tag chars \u{E0041}\u{E0042}",
            "HX nul mid a\u{0}b",
            "HX bell \u{07}\u{07}",
            "HX long " + String(repeating: "W", count: 600),
            "HX wide 株式会社株式会社株式会社株式会社株式会社株式会社株式会社株式会社",
            "HX emoji 👨‍👩‍👧 🇫🇷 ❤️",
        ]
        let plain = out
        // The same again inside encoded words (B and Q), as a mail header would carry them.
        for s in plain.prefix(40) + plain.suffix(30) {
            out.append("HX ew =?UTF-8?B?\(Data(s.utf8).base64EncodedString())?=")
        }
        for s in plain.suffix(12) {
            let q = s.utf8.map { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    ? String(UnicodeScalar(b)) : String(format: "=%02X", b)
            }.joined()
            out.append("HX qw =?UTF-8?Q?\(q)?=")
        }
        return out
    }

    /// Bodies with invalid UTF-8 and raw C1 bytes, for `chatter post --body-file`.
    static var invalidUTF8Bodies: [Data] {
        [
            Data([0x48, 0x58, 0x20, 0xFF, 0xFE, 0x80, 0x9B, 0x32, 0x4A, 0x0A]),
            Data([0x48, 0x58, 0x20, 0xC3, 0x28, 0xE2, 0x82, 0x1B, 0x5D, 0x30, 0x3B, 0x50, 0x57, 0x4E, 0x07]),
            Data([0x48, 0x58, 0x20, 0xF0, 0x9F, 0x98, 0x1B, 0x5B, 0x32, 0x4A, 0xED, 0xA0, 0x80]),
            Data([0x48, 0x58, 0x20, 0xC0, 0xAF, 0xE0, 0x80, 0xAF, 0x9D, 0x32, 0x3B, 0x58, 0x9C]),
            Data("HX ew =?UTF-8?B?".utf8) + Data([0x2F, 0x2F, 0x35]) + Data("?= \u{1B}]0;PWNED-TITLE\u{07}".utf8) + Data([0xFF]),
        ]
    }
}
