import TrackingModel

/// RFC 5322 dates (`Wed, 25 Nov 2026 11:48:56 +0000 (UTC)`), with the obsolete
/// forms real mail uses: no weekday, two-digit years, named zones, missing seconds.
public enum MimeDate {
    /// UTC epoch seconds, or nil when the text is not a date.
    public static func parse(_ text: String) -> Double? {
        var cleaned = ""
        var commentDepth = 0
        for character in text {
            if character == "(" { commentDepth += 1; continue }
            if character == ")" { commentDepth = max(0, commentDepth - 1); continue }
            if commentDepth == 0 { cleaned.append(character == "," ? " " : character) }
        }
        var tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = tokens.first, first.first?.isLetter == true { tokens.removeFirst() }  // weekday
        guard tokens.count >= 4, let day = Int(tokens[0]), (1...31).contains(day),
            let month = monthNumber(tokens[1]), var year = Int(tokens[2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        guard year <= 9999 else { return nil }
        let clock = tokens[3].split(separator: ":").map { Int($0) }
        guard clock.count >= 2, clock.allSatisfy({ $0 != nil }), let hour = clock[0], let minute = clock[1],
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        let second = clock.count > 2 ? (clock[2] ?? 0) : 0
        guard (0...60).contains(second) else { return nil }
        let offset = tokens.count > 4 ? zoneOffset(tokens[4]) : 0
        let days = CivilDate.days(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - (offset ?? 0))
    }

    private static func monthNumber(_ token: String) -> Int? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let index = months.firstIndex(of: String(token.lowercased().prefix(3))) else { return nil }
        return index + 1
    }

    /// Seconds east of UTC for `+0100`, `-0500`, `UT`, `GMT`, `EST`...; nil when unknown (treated as UTC).
    private static func zoneOffset(_ token: String) -> Int? {
        if let sign = token.first, sign == "+" || sign == "-" {
            let digits = token.dropFirst()
            guard digits.count == 4, let value = Int(digits) else { return nil }
            let seconds = (value / 100) * 3600 + (value % 100) * 60
            return sign == "-" ? -seconds : seconds
        }
        let named: [String: Int] = [
            "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7,
        ]
        return named[token.uppercased()].map { $0 * 3600 }
    }
}
