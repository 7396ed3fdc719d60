import TrackingModel
import XCTest

/// The one window of sane event times (people refused, signals quarantined).
final class EventTimeTests: XCTestCase {
    private let now = 1_795_608_000.0  // 2026-11-25

    func testInsideTheWindow() {
        XCTAssertNil(EventTime.problem(EventTime.earliest, now: now))
        XCTAssertNil(EventTime.problem(now, now: now))
        XCTAssertNil(EventTime.problem(now + 86_400, now: now), "a day of clock skew is allowed")
    }

    func testOutsideTheWindowWithTheReason() {
        XCTAssertEqual(EventTime.problem(EventTime.earliest - 1, now: now), "event time 1989-12-31 is before 1990")
        XCTAssertEqual(EventTime.problem(0, now: now), "event time 1970-01-01 is before 1990")
        XCTAssertEqual(
            EventTime.problem(4_102_444_800, now: now), "event time 2100-01-01 is more than a day ahead of the clock")
        XCTAssertEqual(EventTime.problem(now + 86_401, now: now)?.hasSuffix("more than a day ahead of the clock"), true)
        XCTAssertEqual(EventTime.problem(1e300, now: now), "event time 1e+300 is more than a day ahead of the clock")
        XCTAssertEqual(EventTime.problem(-1e300, now: now), "event time -1e+300 is before 1990")
        XCTAssertEqual(EventTime.problem(.nan, now: now), "event time nan is not a number of seconds")
        XCTAssertEqual(EventTime.problem(.infinity, now: now), "event time inf is not a number of seconds")
    }
}
