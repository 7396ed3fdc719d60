import Foundation
import TrackingModel

/// The time zone a log's local timestamps are written in.
public enum PostfixTimeZone: Sendable, Hashable {
    /// UTC (the default; also what containers usually run in).
    case utc
    /// A fixed offset east of UTC in seconds (`+01:00` → 3600).
    case fixed(seconds: Int)
    /// A named zone with daylight saving rules (`Europe/Paris`).
    case named(TimeZone)

    /// The offset east of UTC for a wall-clock time in this zone (`localEpoch` = that wall time read as if it were UTC).
    func offset(forLocal localEpoch: Int) -> Int {
        switch self {
        case .utc:
            return 0
        case .fixed(let seconds):
            return seconds
        case .named(let zone):
            // Two steps: the offset at the guessed instant, then at the corrected one (right around DST changes).
            let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localEpoch)))
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localEpoch - first)))
        }
    }
}

/// Parses the two timestamp styles Postfix lines come with, into UTC epoch seconds.
///
/// - Traditional syslog (`Nov 25 11:48:56`, also postlogd's own file): no year,
///   no zone. The year is the one that puts the time no more than one day after
///   `referenceTime` (now while tailing, the file's mtime on backfill) — so a
///   `Dec 31` line read on `Jan 1` lands in the previous year, and a `Jan 1` line
///   read on `Dec 31` with a slightly fast clock lands in the next one. The zone is
///   `zone`.
/// - RFC 3339 (`2026-11-25T11:48:56.123456+00:00`, rsyslog's high-precision
///   template): taken as written; a missing zone means `zone`.
struct PostfixTimestampParser {
    var referenceTime: Double
    var zone: PostfixTimeZone
    /// Offset cache for `.named` zones: one lookup per local hour.
    private var cachedHour = Int.min
    private var cachedOffset = 0
    /// Year-inference cache: `month * 32 + day` → local epoch of that day's start, for `cachedReference`.
    private var cachedDayKey = -1
    private var cachedDayStart = 0
    private var cachedReference = Double.nan

    init(referenceTime: Double, zone: PostfixTimeZone) {
        self.referenceTime = referenceTime
        self.zone = zone
    }

    /// Parses the timestamp at the start of `bytes`; returns the epoch and the index after it, or nil.
    mutating func parse(_ bytes: PostfixBytes) -> (Double, Int)? {
        guard bytes.count >= 15 else { return nil }
        if isDigit(bytes[0]) { return parseRFC3339(bytes) }
        return parseSyslog(bytes)
    }

    private mutating func parseSyslog(_ b: PostfixBytes) -> (Double, Int)? {
        guard let month = PostfixTimestampParser.month(b[0], b[1], b[2]), b[3] == UInt8(ascii: " ") else { return nil }
        // Day is space-padded ("Nov  5") or zero-padded / two digits ("Nov 05", "Nov 25").
        let dayHigh = b[4] == UInt8(ascii: " ") ? 0 : Int(b[4] &- UInt8(ascii: "0"))
        guard dayHigh < 4, let dayLow = digit(b[5]), b[6] == UInt8(ascii: " ") else { return nil }
        let day = dayHigh * 10 + dayLow
        guard (1...31).contains(day), let (seconds, end) = clock(b, at: 7) else { return nil }
        let local = dayStart(month: month, day: day, secondOfDay: seconds) + seconds
        return (Double(local - offset(forLocal: local)), end)
    }

    private mutating func parseRFC3339(_ b: PostfixBytes) -> (Double, Int)? {
        guard b.count >= 19, let year = b.integer(0, 4), b[4] == UInt8(ascii: "-"), let month = b.integer(5, 7),
            b[7] == UInt8(ascii: "-"), let day = b.integer(8, 10),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
            (1...12).contains(month), (1...31).contains(day), let (seconds, afterClock) = clock(b, at: 11)
        else { return nil }
        var i = afterClock
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, let d = digit(b[i]) {
                fraction += Double(d) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        let local = CivilDate.days(year: year, month: month, day: day) * 86_400 + seconds
        var offset: Int
        if i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            offset = 0
            i += 1
        } else if i + 6 <= b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"),
            let hours = b.integer(i + 1, i + 3), b[i + 3] == UInt8(ascii: ":"), let minutes = b.integer(i + 4, i + 6)
        {
            offset = (hours * 3600 + minutes * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            offset = self.offset(forLocal: local)
        }
        return (Double(local - offset) + fraction, i)
    }

    /// The local epoch of the start of `month`/`day` in the inferred year; cached while the
    /// whole day falls in one year (lines come in runs of the same day).
    private mutating func dayStart(month: Int, day: Int, secondOfDay: Int) -> Int {
        let key = month * 32 + day
        if key == cachedDayKey, cachedReference == referenceTime { return cachedDayStart }
        let start = localEpochInferringYear(month: month, day: day, secondOfDay: 0)
        let end = localEpochInferringYear(month: month, day: day, secondOfDay: 86_399) - 86_399
        guard start == end else {
            // The reference falls inside this day: decide per line.
            return localEpochInferringYear(month: month, day: day, secondOfDay: secondOfDay) - secondOfDay
        }
        cachedDayKey = key
        cachedDayStart = start
        cachedReference = referenceTime
        return start
    }

    /// The wall time as epoch seconds (read as UTC) in the year chosen against `referenceTime`.
    private func localEpochInferringYear(month: Int, day: Int, secondOfDay: Int) -> Int {
        // Compare in local wall time: the reference moved into the zone (a fixed guess is fine at ±1 day tolerance).
        let referenceLocal = Int(referenceTime) + zone.offset(forLocal: Int(referenceTime))
        let referenceYear = CivilDate.year(epoch: referenceLocal)
        var best: Int?
        for year in [referenceYear + 1, referenceYear, referenceYear - 1] {
            let candidate = CivilDate.days(year: year, month: month, day: day) * 86_400 + secondOfDay
            if candidate <= referenceLocal + 86_400 {
                best = candidate
                break
            }
        }
        return best ?? CivilDate.days(year: referenceYear - 1, month: month, day: day) * 86_400
            + secondOfDay
    }

    private mutating func offset(forLocal local: Int) -> Int {
        switch zone {
        case .utc: return 0
        case .fixed(let seconds): return seconds
        case .named:
            let hour = local / 3600
            if hour != cachedHour {
                cachedHour = hour
                cachedOffset = zone.offset(forLocal: local)
            }
            return cachedOffset
        }
    }

    /// `HH:MM:SS` at `at`: seconds of the day and the index after it.
    private func clock(_ b: PostfixBytes, at: Int) -> (Int, Int)? {
        guard at + 8 <= b.count, let h = b.integer(at, at + 2), b[at + 2] == UInt8(ascii: ":"),
            let m = b.integer(at + 3, at + 5), b[at + 5] == UInt8(ascii: ":"), let s = b.integer(at + 6, at + 8),
            h < 24, m < 60, s < 61
        else { return nil }
        return (h * 3600 + m * 60 + s, at + 8)
    }

    @inline(__always)
    private func digit(_ byte: UInt8) -> Int? {
        let d = byte &- UInt8(ascii: "0")
        return d < 10 ? Int(d) : nil
    }

    /// Month number from its three-letter English abbreviation (case as syslog writes it).
    static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c) {
        case 0x4A_616E: return 1  // Jan
        case 0x46_6562: return 2  // Feb
        case 0x4D_6172: return 3  // Mar
        case 0x41_7072: return 4  // Apr
        case 0x4D_6179: return 5  // May
        case 0x4A_756E: return 6  // Jun
        case 0x4A_756C: return 7  // Jul
        case 0x41_7567: return 8  // Aug
        case 0x53_6570: return 9  // Sep
        case 0x4F_6374: return 10  // Oct
        case 0x4E_6F76: return 11  // Nov
        case 0x44_6563: return 12  // Dec
        default: return nil
        }
    }
}
