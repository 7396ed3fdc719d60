/// Small text helpers without Foundation's bridging cost: bounce parsing calls them per
/// line of every mail, where `trimmingCharacters` / `contains` through NSString dominated.
public enum MimeText {
    /// `text` without leading and trailing whitespace (newlines included) and `also` characters.
    public static func trimmed<S: StringProtocol>(_ text: S, also: String = "") -> String {
        let drop: (Character) -> Bool = { $0.isWhitespace || also.contains($0) }
        guard let first = text.firstIndex(where: { !drop($0) }) else { return "" }
        guard let last = text.lastIndex(where: { !drop($0) }) else { return "" }
        return String(text[first...last])
    }

    /// Whether `needle` occurs in `haystack` (byte-wise on UTF-8, case-sensitive).
    public static func contains<S: StringProtocol>(_ haystack: S, _ needle: String) -> Bool {
        firstOffset(of: needle, in: haystack) != nil
    }

    /// The UTF-8 offset of the first `needle` in `haystack`, or nil.
    public static func firstOffset<S: StringProtocol>(of needle: String, in haystack: S) -> Int? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return 0 }
        let bytes = Array(haystack.utf8)
        guard bytes.count >= pattern.count else { return nil }
        return bytes.withUnsafeBufferPointer { hay in
            pattern.withUnsafeBufferPointer { pin in
                let first = pin[0]
                var index = 0
                let limit = hay.count - pin.count
                outer: while index <= limit {
                    if hay[index] == first {
                        var offset = 1
                        while offset < pin.count {
                            if hay[index + offset] != pin[offset] {
                                index += 1
                                continue outer
                            }
                            offset += 1
                        }
                        return index
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}
