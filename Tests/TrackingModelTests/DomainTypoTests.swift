import TrackingModel
import XCTest

final class DomainTypoTests: XCTestCase {
    func testCommonTyposAreSuggested() {
        XCTAssertEqual(DomainTypo.suggestion(for: "gmial.com"), "gmail.com")
        XCTAssertEqual(DomainTypo.suggestion(for: "hotmial.com"), "hotmail.com")
        XCTAssertEqual(DomainTypo.suggestion(for: "yaho.com"), "yahoo.com")
        XCTAssertEqual(DomainTypo.suggestion(for: "outlok.com"), "outlook.com")
        XCTAssertEqual(DomainTypo.suggestion(for: "GMAIL.CON"), "gmail.com")
        XCTAssertEqual(DomainTypo.suggestion(forAddress: "ann@gmial.com"), "ann@gmail.com")
    }

    func testRealDomainsAreLeftAlone() {
        XCTAssertNil(DomainTypo.suggestion(for: "gmail.com"))
        XCTAssertNil(DomainTypo.suggestion(for: "example.org"))
        XCTAssertNil(DomainTypo.suggestion(for: "mail.example.jp"))
        XCTAssertNil(DomainTypo.suggestion(for: "me.de"), "short domains are too close to everything")
        XCTAssertNil(DomainTypo.suggestion(forAddress: "no-at-sign"))
        XCTAssertEqual(DomainTypo.distance("gmial", "gmail"), 1, "a swap is one edit")
        XCTAssertEqual(DomainTypo.distance("", "abc"), 3)
    }
}
