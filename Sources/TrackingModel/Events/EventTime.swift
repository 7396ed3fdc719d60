/// The sane window of an event's time, one rule for every way an event comes in: a time
/// before 1990 or more than a day ahead of the clock cannot be a real delivery signal (an
/// open "in 2100" would pin a row's state over every later bounce). People giving such a
/// time (`chatter event --at`) get a usage error with the reason; a signal carrying one is
/// quarantined with the reason.
public enum EventTime {
    /// 1990-01-01T00:00:00Z: nothing chatter tracks happened before.
    public static let earliest: Double = 631_152_000
    /// How far ahead of the clock a time may be (clock skew between machines).
    public static let allowedAhead: Double = 86_400

    /// Why `time` is outside the window at `now` (both UTC epoch seconds), or nil when it is inside.
    public static func problem(_ time: Double, now: Double) -> String? {
        guard time.isFinite else { return "event time \(time) is not a number of seconds" }
        if time < earliest { return "event time \(describe(time)) is before 1990" }
        if time > now + allowedAhead { return "event time \(describe(time)) is more than a day ahead of the clock" }
        return nil
    }

    /// `time` as a UTC date when it has a sane year, else as the number given.
    static func describe(_ time: Double) -> String {
        guard abs(time) < 1e13 else { return "\(time)" }
        let seconds = Int(time.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let date = CivilDate.civil(fromDays: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.year)-\(two(date.month))-\(two(date.day))"
    }
}
