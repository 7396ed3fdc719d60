import XCTest
@testable import TermGrid

final class FrameDiffTests: XCTestCase {
    let size = Size(width: 12, height: 3)

    func frame(_ rows: [String]) -> Grid {
        var g = Grid(size: size)
        for (y, r) in rows.enumerated() { g.put(r, x: 0, y: y, maxWidth: size.width, style: .default) }
        return g
    }

    func testIdenticalFramesGiveNoRun() {
        let a = frame(["hello", "中文 ok", "👨‍👩‍👧"])
        XCTAssertEqual(diff(from: a, to: a), [])
    }

    func testNilOrResizedGivesEveryRow() {
        let a = frame(["hello"])
        XCTAssertEqual(diff(from: nil, to: a).map(\.y), [0, 1, 2])
        XCTAssertEqual(diff(from: nil, to: a).map(\.cells.count), [12, 12, 12])
        XCTAssertEqual(diff(from: Grid(size: Size(width: 3, height: 3)), to: a).count, 3)
    }

    func testOneChangedCellIsOneRunOfOneCell() {
        let a = frame(["hello"])
        var b = a
        b[1, 0] = Cell(text: "a")
        XCTAssertEqual(diff(from: a, to: b), [CellRun(x: 1, y: 0, cells: [Cell(text: "a")])])
        var c = a
        c.style(Rect(x: 4, y: 2, width: 1, height: 1), StyleID(rawValue: 1))
        XCTAssertEqual(diff(from: a, to: c), [CellRun(x: 4, y: 2, cells: [Cell(text: " ", style: StyleID(rawValue: 1))])])
    }

    func testWideCharacterChangeCarriesBothHalves() {
        let a = frame(["ab中cd"])
        let b = frame(["ab文cd"])
        XCTAssertEqual(diff(from: a, to: b), [CellRun(x: 2, y: 0, cells: [Cell(text: "文"), Cell(text: "")])])
        // Only the style of the right half changed: the run starts on the left half.
        var c = a
        c.style(Rect(x: 3, y: 0, width: 1, height: 1), StyleID(rawValue: 2))
        let runs = diff(from: a, to: c)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.x, 2)
        XCTAssertEqual(runs.first?.cells.count, 2)
    }

    func testSeparateChangesAreSeparateRuns() {
        let a = frame(["abcdefgh"])
        let b = frame(["xbcdefgy"])
        XCTAssertEqual(diff(from: a, to: b).map(\.x), [0, 7])
    }

    func testHeadlessBackendReproducesFrames() {
        let frames = [
            frame(["hello", "中文 ok", "👨‍👩‍👧 fam"]),
            frame(["hallo", "文中 ok!", "🇫🇷 e\u{301}"]),
            frame(["", "x中y", "abc中文中文"]),
            frame(["中中中中中中", "a中中中中中", "😀"]),
            Grid(size: size),
        ]
        let backend = HeadlessBackend(size: size)
        let presenter = FramePresenter(backend: backend)
        for f in frames {
            presenter.present(f)
            XCTAssertEqual(backend.grid, f)
            XCTAssertEqual(backend.grid.text, f.text)
        }
        // Every pair of frames, in both directions, from any screen state.
        for a in frames {
            for b in frames {
                let screen = HeadlessBackend(size: size)
                screen.draw(diff(from: nil, to: a), cursor: nil)
                screen.flush()
                screen.draw(diff(from: a, to: b), cursor: (x: 1, y: 2))
                screen.flush()
                XCTAssertEqual(screen.grid, b, "\(a.text) -> \(b.text)")
                XCTAssertEqual(screen.cursor?.x, 1)
            }
        }
    }

    func testOnlyChangedCellsAreWritten() {
        let backend = HeadlessBackend(size: size)
        let presenter = FramePresenter(backend: backend)
        presenter.present(frame(["hello", "world"]))
        XCTAssertEqual(backend.cellsWritten, 36)
        backend.resetCounters()
        presenter.present(frame(["hello", "wOrld"]))
        XCTAssertEqual(backend.cellsWritten, 1)
        XCTAssertEqual(backend.bytesWritten, 1)
        XCTAssertEqual(backend.flushes, 1)
        presenter.invalidate()
        backend.resetCounters()
        presenter.present(frame(["hello", "wOrld"]))
        XCTAssertEqual(backend.cellsWritten, 36)
    }

    func testNothingIsDrawnBeforeFlush() {
        let backend = HeadlessBackend(size: size)
        backend.draw(diff(from: nil, to: frame(["x"])), cursor: nil)
        XCTAssertEqual(backend.grid.rowText(0), String(repeating: " ", count: 12))
        backend.flush()
        XCTAssertEqual(backend.grid.rowText(0).first, "x")
    }
}
