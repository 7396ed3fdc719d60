/// Search matches shown in the lines of a list filtered by a search: each
/// case-insensitive occurrence of the query gets the `marked` style, so a
/// filtered list shows why each row is in it.
func highlighted(_ lines: [Line], _ query: String) -> [Line] {
    guard !query.isEmpty else { return lines }
    return lines.map { line in
        var out = line
        out.spans = line.spans.flatMap { split($0, query) }
        return out
    }
}

/// A piece cut at the query's occurrences.
private func split(_ piece: Piece, _ query: String) -> [Piece] {
    var out: [Piece] = []
    var rest = Substring(piece.text)
    while let r = rest.range(of: query, options: .caseInsensitive) {
        if r.lowerBound > rest.startIndex { out.append(Piece(String(rest[..<r.lowerBound]), piece.style)) }
        out.append(Piece(String(rest[r]), .marked))
        rest = rest[r.upperBound...]
    }
    if !rest.isEmpty || out.isEmpty { out.append(Piece(String(rest), piece.style)) }
    return out
}
