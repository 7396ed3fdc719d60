import Foundation

/// Checks the domain of an address and gives its ASCII (IDNA) form: labels are
/// NFC-normalised and lower-cased, non-ASCII labels become `xn--` Punycode, and a
/// trailing dot is dropped, so `Bücher.DE.` and `xn--bcher-kva.de` compare equal.
///
/// This is the part of IDNA a mail client needs to compare and send addresses,
/// not the full UTS 46 mapping table: ideographic full stops count as dots,
/// labels must be letters, digits, hyphens (or `_`, seen in real host names) or
/// non-ASCII, and lengths are checked after encoding.
enum DomainName {
    /// Why a domain was refused, at a scalar offset inside the domain text.
    struct Problem: Error {
        var offset: Int
        var reason: String
    }

    /// Full stops that IDNA treats as the label separator (`.`, `。`, `．`, `｡`).
    static func isLabelSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E, 0x3002, 0xFF0E, 0xFF61: return true
        default: return false
        }
    }

    /// The lower-case ASCII form of a domain name, or the first problem found.
    static func asciiForm(_ domain: String) -> Result<String, Problem> {
        let scalars = Array(domain.unicodeScalars)
        var labels: [(start: Int, scalars: ArraySlice<Unicode.Scalar>)] = []
        var start = 0
        for (index, s) in scalars.enumerated() where isLabelSeparator(s) {
            labels.append((start, scalars[start..<index]))
            start = index + 1
        }
        labels.append((start, scalars[start...]))
        // One trailing dot is the fully-qualified spelling, not an empty label.
        if labels.count > 1, let last = labels.last, last.scalars.isEmpty {
            labels.removeLast()
        }

        var asciiLabels: [String] = []
        for label in labels {
            switch asciiLabel(label.scalars, at: label.start) {
            case .success(let ascii): asciiLabels.append(ascii)
            case .failure(let problem): return .failure(problem)
            }
        }
        let ascii = asciiLabels.joined(separator: ".")
        if ascii.utf8.count > 253 {
            return .failure(Problem(offset: 0, reason: "domain longer than 253 characters"))
        }
        return .success(ascii)
    }

    private static func asciiLabel(_ label: ArraySlice<Unicode.Scalar>, at start: Int) -> Result<String, Problem> {
        guard let first = label.first, let last = label.last else {
            return .failure(Problem(offset: start, reason: "empty domain label"))
        }
        for (index, s) in zip(label.indices, label) where s.isASCII && !isLabelCharacter(s) {
            return .failure(Problem(offset: index, reason: "invalid character '\(s)' in domain"))
        }
        for (index, s) in zip(label.indices, label) where !s.isASCII && isDisallowed(s) {
            let hex = String(s.value, radix: 16, uppercase: true)
            return .failure(Problem(offset: index, reason: "invalid character U+\(hex) in domain"))
        }
        if first == "-" {
            return .failure(Problem(offset: label.startIndex, reason: "domain label starts with a hyphen"))
        }
        if last == "-" {
            return .failure(Problem(offset: label.endIndex - 1, reason: "domain label ends with a hyphen"))
        }

        // Encoding never shortens a label, so a long one is refused before the work.
        if label.count > 63 {
            return .failure(Problem(offset: start, reason: "domain label longer than 63 characters"))
        }
        let text = String(String.UnicodeScalarView(label))
        let ascii: String
        if label.allSatisfy(\.isASCII) {
            ascii = text.lowercased()
            if ascii.hasPrefix("xn--") {
                guard let decoded = Punycode.decode(String(ascii.dropFirst(4))), !decoded.isEmpty,
                    !decoded.unicodeScalars.allSatisfy(\.isASCII)
                else {
                    return .failure(Problem(offset: start, reason: "invalid punycode label"))
                }
            }
        } else {
            let unicode = text.precomposedStringWithCanonicalMapping.lowercased()
            // Case mapping can land on plain ASCII (the Kelvin sign is a `k`).
            if unicode.unicodeScalars.allSatisfy(\.isASCII) {
                return asciiLabel(ArraySlice(Array(unicode.unicodeScalars)), at: start)
                    .mapError { Problem(offset: start, reason: $0.reason) }
            }
            guard let encoded = Punycode.encode(unicode) else {
                return .failure(Problem(offset: start, reason: "domain label cannot be encoded"))
            }
            ascii = "xn--" + encoded
        }
        if ascii.utf8.count > 63 {
            return .failure(Problem(offset: start, reason: "domain label longer than 63 characters"))
        }
        return .success(ascii)
    }

    /// Invisible or meaningless code points IDNA refuses in a label (bidi and
    /// other format controls, private use, unassigned), which would let a domain
    /// look like another one.
    private static func isDisallowed(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .format, .privateUse, .unassigned, .surrogate, .control, .spaceSeparator, .lineSeparator,
            .paragraphSeparator:
            return true
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
            .modifierSymbol, .otherSymbol:
            return false
        @unknown default:
            return true
        }
    }

    private static func isLabelCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F: return true
        default: return false
        }
    }
}
