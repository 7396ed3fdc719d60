import TermGrid
import TrackingModel
import XCTest

@testable import ChatterUI

final class ThemeAndTextTests: XCTestCase {
    func testEverySemanticHasItsOwnLetter() {
        let letters = Semantic.allCases.map(\.letter)
        XCTAssertEqual(Set(letters).count, letters.count)
        XCTAssertEqual(Semantic.letter(StyleID(rawValue: 250)), ".", "unknown ids read as normal")
    }

    func testMonoThemeHasNoColourAndStillMarksMeaning() {
        let mono = Theme(mode: .mono)
        for s in Semantic.allCases {
            let look = mono.style(for: s.id)
            XCTAssertEqual(look.fg, .default, "\(s)")
            XCTAssertEqual(look.bg, .default, "\(s)")
        }
        XCTAssertTrue(mono.style(for: Semantic.selected.id).reverse)
        XCTAssertTrue(mono.style(for: Semantic.danger.id).bold)
        XCTAssertNotEqual(mono.style(for: Semantic.markerOpened.id), mono.style(for: Semantic.markerDelivered.id))
    }

    func testEightColourThemeUsesOnlyAnsiColours() {
        for (_, look) in Theme(mode: .color8).table {
            for c in [look.fg, look.bg] {
                switch c {
                case .default: break
                case .ansi(let n): XCTAssertLessThan(n, 8)
                case .indexed(let n): XCTFail("indexed colour \(n) in the 8-colour theme")
                }
            }
        }
        XCTAssertEqual(Theme(mode: .color256).style(for: Semantic.danger.id).fg, .indexed(196))
    }

    func testColourModeChoice() {
        XCTAssertEqual(ColorMode.choose(terminalColors: 256, noColor: false, mono: false), .color256)
        XCTAssertEqual(ColorMode.choose(terminalColors: 16777216, noColor: false, mono: false), .color256)
        XCTAssertEqual(ColorMode.choose(terminalColors: 8, noColor: false, mono: false), .color8)
        XCTAssertEqual(ColorMode.choose(terminalColors: 16, noColor: false, mono: false), .color8)
        XCTAssertEqual(ColorMode.choose(terminalColors: 2, noColor: false, mono: false), .mono)
        XCTAssertEqual(ColorMode.choose(terminalColors: 256, noColor: true, mono: false), .mono)
        XCTAssertEqual(ColorMode.choose(terminalColors: 256, noColor: false, mono: true), .mono)
    }

    func testAsciiMarkersAreExactlyThoseOfScreensMd() {
        let g = Glyphs(ascii: true)
        let expected: [Marker: String] = [
            .unknown: "?", .waiting: "~", .error: "x", .sent: "v", .delivered: "vv", .opened: "VV", .cc: "cc",
            .noEmail: "!@", .noPartner: "@",
        ]
        for m in Marker.allCases { XCTAssertEqual(g.marker(m), expected[m], "\(m)") }
        XCTAssertEqual(g.marker(.error, refused: true), "x!", "an error refused by the receiver")
        XCTAssertEqual(g.marker(.sent, refused: true), "v", "only an error has a refused look")
    }

    func testRefusedMarkerHasItsOwnLookInEveryTheme() {
        for mode in [ColorMode.color256, .color8, .mono] {
            let theme = Theme(mode: mode)
            XCTAssertNotEqual(
                theme.style(for: Semantic.markerRefused.id), theme.style(for: Semantic.markerError.id), "\(mode)")
        }
        XCTAssertEqual(Semantic.marker(.error, refused: true), .markerRefused)
        XCTAssertEqual(Semantic.marker(.error, refused: false), .markerError)
        XCTAssertEqual(Semantic.cause(.blocked), .causeSender)
        XCTAssertEqual(Semantic.cause(.userUnknown), .causeAddress)
        XCTAssertEqual(Semantic.cause(.expired), .causeOther)
    }

    func testMarkerGlyphsAreDistinctAndNarrow() {
        for ascii in [true, false] {
            let g = Glyphs(ascii: ascii)
            // Every marker, and the error refused by the receiver (sender side) as one more.
            let glyphs = Marker.allCases.map { g.marker($0) } + [g.marker(.error, refused: true)]
            XCTAssertEqual(Set(glyphs).count, glyphs.count, "ascii=\(ascii): meaning never by colour alone")
            for glyph in glyphs {
                XCTAssertLessThanOrEqual(DisplayWidth.of(glyph), 2, glyph)
                if ascii { XCTAssertTrue(glyph.unicodeScalars.allSatisfy(\.isASCII), glyph) }
            }
        }
    }

    func testAsciiModeDrawsOnlyAsciiOnEveryScreen() {
        func asciiOnly<T>(_ rows: [T], _ text: (T) -> String) -> [T] {
            rows.filter { text($0).unicodeScalars.allSatisfy(\.isASCII) }
        }
        var s = Fixtures.loaded(ascii: true)
        _ = update(&s, .threadsLoaded(s.threads.query, Page(rows: asciiOnly(Fixtures.threads, \.name), next: nil)))
        var view = Fixtures.azureView
        view.history = [Fixtures.m101, Fixtures.m104].map { m in
            var m = m
            m.recipients = asciiOnly(m.recipients, \.name)
            return m
        }
        view.failed = view.history
        _ = update(&s, .threadLoaded(view))
        var screens: [(String, AppState)] = [("thread", s)]
        var t = s
        _ = update(&t, .key(.char("j")))
        _ = update(&t, .key(.char("R")))
        screens.append(("retry", t))
        t = s
        _ = update(&t, .key(.char("j")))
        _ = update(&t, .key(.char("i")))
        _ = update(&t, .trackingDetailLoaded(Fixtures.trackingRows[0], Fixtures.decoEvents))
        screens.append(("marker", t))
        t = s
        _ = update(&t, .key(.char("?")))
        screens.append(("help", t))
        t = s
        _ = update(&t, .key(.char("2")))
        _ = update(&t, .failedLoaded(view.failed, count: 9))
        screens.append(("failed", t))
        t = s
        _ = update(&t, .key(.char("3")))
        _ = update(&t, .trackingsLoaded(t.tracking.query, Page(rows: asciiOnly(Fixtures.trackingRows, \.recipient), next: PageCursor(time: 0, id: 1))))
        screens.append(("tracking", t))
        _ = update(&t, .key(.char("e")))
        _ = update(&t, .eventsLoaded(trackingId: nil, Fixtures.decoEvents + Fixtures.azureEvents))
        screens.append(("events", t))
        _ = update(&t, .key(.char("4")))
        _ = update(&t, .partnersLoaded(asciiOnly(Fixtures.partners, \.name)))
        _ = update(&t, .key(.char("j")))
        screens.append(("partners", t))
        _ = update(&t, .resize(Size(width: 20, height: 5)))
        screens.append(("too small", t))
        for (name, state) in screens {
            for size in [Size(width: 80, height: 24), Size(width: 40, height: 12), state.size] {
                var sized = state
                _ = update(&sized, .resize(size))
                var grid = Grid(size: size)
                render(sized, into: &grid)
                let bad = grid.text.unicodeScalars.filter { !$0.isASCII }
                XCTAssertTrue(bad.isEmpty, "\(name) at \(size): \(String(String.UnicodeScalarView(bad)))")
            }
        }
    }

    func testRelativeTimes() {
        let now = Fixtures.now
        XCTAssertEqual(TimeText.relative(now - 2, now: now), "just now")
        XCTAssertEqual(TimeText.relative(now + 30, now: now), "just now", "clock skew is not 'in the future'")
        XCTAssertEqual(TimeText.relative(now - 42, now: now), "42 s ago")
        XCTAssertEqual(TimeText.relative(now - 180, now: now), "3 min ago")
        XCTAssertEqual(TimeText.relative(now - 5 * 3600, now: now), "5 h ago")
        XCTAssertEqual(TimeText.relative(now - 2 * 86400, now: now), "2 d ago")
        XCTAssertEqual(TimeText.relative(now - 30 * 86400, now: now), "Mon 26 Oct 10:05")
    }

    func testAbsoluteDates() {
        let now = Fixtures.now
        XCTAssertEqual(TimeText.date(now - 180, now: now), "Wed 25 Nov 10:02")
        XCTAssertEqual(TimeText.date(now - 180, now: now, utcOffset: 3600), "Wed 25 Nov 11:02")
        XCTAssertEqual(TimeText.date(0, now: now), "1 Jan 1970 00:00")
        XCTAssertEqual(TimeText.date(951_782_400, now: now), "29 Feb 2000 00:00")
        XCTAssertEqual(TimeText.date(-86400, now: now), "31 Dec 1969 00:00")
        XCTAssertEqual(TimeText.stamp(now), "2026-11-25 10:05")
        XCTAssertEqual(TimeText.clock(now + 7), "10:05:07")
        XCTAssertEqual(TimeText.date(.nan, now: now), "1 Jan 1970 00:00", "no crash on bad input")
        XCTAssertEqual(TimeText.date(.infinity, now: now).isEmpty, false)
    }
}
