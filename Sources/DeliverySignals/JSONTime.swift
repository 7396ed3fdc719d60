import Foundation
import MailFormat
import TrackingModel

/// Timestamps as providers write them: epoch seconds (number or numeric string, with
/// fractions) or RFC 3339 / ISO 8601 text with any number of fraction digits and a
/// `Z` or `±hh:mm` offset (Postmark writes 7 fraction digits).
public enum JSONTime {
    /// UTC epoch seconds, or nil when the value is not a timestamp.
    public static func epoch(_ value: Any?) -> Double? {
        guard let seconds = anyEpoch(value), abs(seconds) < maximumMagnitude else { return nil }
        return seconds
    }

    /// Timestamps beyond the year 5000 are garbage, not dates (and would overflow date arithmetic).
    public static let maximumMagnitude = 1e11

    private static func anyEpoch(_ value: Any?) -> Double? {
        switch value {
        case let number as NSNumber:
            let seconds = number.doubleValue
            return seconds.isFinite ? seconds : nil
        case let text as String:
            if let seconds = Double(text), seconds.isFinite { return seconds }
            return rfc3339(text)
        default:
            return nil
        }
    }

    /// Parses `2025-11-25T12:14:07.1234567Z`, `2016-04-27T16:28:50.3963933-04:00`, `2025-11-26 09:00:00+0000`.
    public static func rfc3339(_ text: String) -> Double? {
        let bytes = Array(MimeText.trimmed(text).utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 19, let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = digits(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, isDigit(bytes[index]) {
                fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let hours = digits(index + 1, 2) else { return nil }
                var minuteStart = index + 3
                if minuteStart < bytes.count, bytes[minuteStart] == UInt8(ascii: ":") { minuteStart += 1 }
                guard let minutes = digits(minuteStart, 2) else { return nil }
                offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                index = minuteStart + 2
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
