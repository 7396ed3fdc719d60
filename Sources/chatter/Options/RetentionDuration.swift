/// A retention period as written on the command line and in config.toml: a whole number
/// and a unit, `s` `m` `h` `d` `w` `y` (365 days): `30d`, `12h`, `2w`, `1y`.
struct RetentionDuration: Equatable, Sendable {
    /// In seconds.
    let seconds: Double
    /// As written.
    let text: String

    /// One day (`1d`): poll's default gc interval.
    static let oneDay = RetentionDuration(seconds: 86400, text: "1d")

    private init(seconds: Double, text: String) {
        self.seconds = seconds
        self.text = text
    }

    init(parsing text: String) throws {
        let unitSeconds: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400]
        guard let unit = text.last, let scale = unitSeconds[unit], let n = Int(text.dropLast()), n > 0 else {
            throw CLIError.usage("a duration is a positive whole number and a unit (s m h d w y), like 30d; got \(text)")
        }
        seconds = Double(n) * scale
        self.text = text
    }
}
