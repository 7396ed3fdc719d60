import CTerminalSupport
import Glibc
import XCTest
@testable import TermGrid

/// Our width table against the C library's wcwidth, which curses and many terminals use.
/// Where they disagree the backend pads or substitutes (see Glyph). On Debian 12
/// (glibc 2.36) only the regional indicators (two cells on purpose: flags) and
/// nine rare symbols differ; the bound catches a broken or stale table.
final class WidthAgreementTests: XCTestCase {
    func testTableAgreesWithTheCLibraryAlmostEverywhere() throws {
        XCTAssertNotNil(setlocale(LC_ALL, "C.UTF-8"), "glibc's built-in C.UTF-8 locale")
        var disagreements: [String] = []
        var compared = 0
        for v in UInt32(0x20)...0x3FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let theirs = Int(ctr_wcwidth(v))
            if theirs < 0 { continue }  // unassigned for the C library
            compared += 1
            let ours = DisplayWidth.of(scalar: s)
            let flagLetter = (0x1F1E6...0x1F1FF).contains(v)
            if ours != theirs, !flagLetter { disagreements.append(String(v, radix: 16) + ":\(ours)/\(theirs)") }
        }
        print("width table vs wcwidth: \(disagreements.count) of \(compared) differ: \(disagreements.prefix(40))")
        XCTAssertGreaterThan(compared, 100_000)
        XCTAssertLessThanOrEqual(disagreements.count, 16)
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{1F1EB}"), 2, "a regional indicator is two cells in the grid")
    }
}
