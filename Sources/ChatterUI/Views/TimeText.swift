import TrackingModel

/// Dates as the front shows them, computed from epoch seconds without a clock or
/// a time zone database: `now` comes from a tick, the UTC offset from the loop.
public enum TimeText {
    /// "just now", "42 s ago", "3 min ago", "5 h ago", "2 d ago", then the date.
    public static func relative(_ time: Double, now: Double, utcOffset: Int = 0) -> String {
        let delta = now - time
        if delta < 5 { return "just now" }
        if delta < 60 { return "\(Int(delta)) s ago" }
        if delta < 3600 { return "\(Int(delta / 60)) min ago" }
        if delta < 86400 { return "\(Int(delta / 3600)) h ago" }
        if delta < 7 * 86400 { return "\(Int(delta / 86400)) d ago" }
        return date(time, now: now, utcOffset: utcOffset)
    }

    /// "Tue 25 Nov 10:02", with the year when it is not the current one.
    public static func date(_ time: Double, now: Double, utcOffset: Int = 0) -> String {
        let t = Civil(time + Double(utcOffset))
        let n = Civil(now + Double(utcOffset))
        let hm = two(t.hour) + ":" + two(t.minute)
        if t.year != n.year { return "\(t.day) \(monthNames[t.month - 1]) \(t.year) \(hm)" }
        return "\(weekdayNames[t.weekday]) \(t.day) \(monthNames[t.month - 1]) \(hm)"
    }

    /// "10:02:07" (time of day) for event timelines.
    public static func clock(_ time: Double, utcOffset: Int = 0) -> String {
        let t = Civil(time + Double(utcOffset))
        return two(t.hour) + ":" + two(t.minute) + ":" + two(t.second)
    }

    /// "2026-11-25 10:02" for lists where columns must line up.
    public static func stamp(_ time: Double, utcOffset: Int = 0) -> String {
        let t = Civil(time + Double(utcOffset))
        return "\(t.year)-\(two(t.month))-\(two(t.day)) \(two(t.hour)):\(two(t.minute))"
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

/// A civil (proleptic Gregorian) date and time from epoch seconds
/// (Howard Hinnant's days-to-civil algorithm).
struct Civil {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    /// 0 = Sunday.
    var weekday: Int

    init(_ epoch: Double) {
        let clamped = epoch.isFinite ? min(max(epoch, -1e12), 1e12) : 0
        let secs = Int(clamped.rounded(.down))
        var days = secs / 86400
        var rem = secs % 86400
        if rem < 0 {
            rem += 86400
            days -= 1
        }
        hour = rem / 3600
        minute = rem % 3600 / 60
        second = rem % 60
        weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        (year, month, day) = CivilDate.civil(fromDays: days)
    }
}
