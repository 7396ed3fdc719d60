import Foundation

/// Finding the line of a key in the config text (TOMLKit gives positions only for syntax errors).
struct ConfigLines {
    /// A section: `[name]`, or the `index`-th `[[name]]`.
    enum Block: Equatable {
        case table(String)
        case entry(String, Int)
    }

    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    private func isHeader(_ line: Substring) -> Bool { line.trimmingCharacters(in: .whitespaces).hasPrefix("[") }

    /// The 1-based line of the `index`-th `[[name]]` header.
    func header(ofEntry index: Int, of name: String) -> Int? {
        var seen = -1
        for (number, line) in lines.enumerated() {
            let compact = line.filter { $0 != " " && $0 != "\t" }
            if compact.hasPrefix("[[\(name)]]") {
                seen += 1
                if seen == index { return number + 1 }
            }
        }
        return nil
    }

    /// The 1-based line of a block's header.
    func header(of block: Block) -> Int? {
        switch block {
        case .table(let name):
            return lines.firstIndex { $0.filter { $0 != " " } == "[\(name)]" }.map { $0 + 1 }
        case .entry(let name, let index):
            return header(ofEntry: index, of: name)
        }
    }

    /// The line of `key = ` inside a block (nil block: before the first header), else the block's header.
    func line(ofKey key: String, inBlock block: Block?) -> Int? {
        var start = 0
        var header: Int?
        if let block {
            guard let h = self.header(of: block) else { return nil }
            header = h
            start = h
        }
        var number = start
        while number < lines.count {
            let line = lines[number]
            if isHeader(line) { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(key), trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                return number + 1
            }
            number += 1
        }
        return header
    }
}
