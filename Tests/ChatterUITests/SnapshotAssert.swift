import Foundation
import TermGrid
import XCTest

@testable import ChatterUI

/// Renders a state and compares the grid's text and style mask with
/// `__Snapshots__/<name>.txt`. With `RECORD_SNAPSHOTS=1` the file is (re)written
/// and the test fails with "recorded", so recording is always a deliberate act.
func assertSnapshot(_ state: AppState, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    var grid = Grid(size: state.size)
    render(state, into: &grid)
    let actual = snapshotText(grid)
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let url = dir.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        do {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            XCTFail("recorded \(name)", file: file, line: line)
        } catch {
            XCTFail("could not record \(name): \(error)", file: file, line: line)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("missing snapshot \(name).txt: run with RECORD_SNAPSHOTS=1 and review it", file: file, line: line)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        let want = first < e.count ? String(e[first]) : "<end>"
        let got = first < a.count ? String(a[first]) : "<end>"
        XCTFail("snapshot \(name) differs at line \(first + 1):\n want: \(want)\n  got: \(got)", file: file, line: line)
    }
}

/// The text of a grid, a separator, and its style mask (one letter per semantic style).
func snapshotText(_ grid: Grid) -> String {
    "\(grid.size)\n" + grid.text + "\n--- styles ---\n" + grid.styleMask(Semantic.letter) + "\n"
}
