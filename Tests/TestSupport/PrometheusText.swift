/// The samples of a Prometheus text exposition (format 0.0.4): `name{a="b",…} value` lines,
/// comments skipped. A line that does not parse is a test failure, kept in `malformed`.
public struct PrometheusText {
    public struct Sample: Equatable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public var samples: [Sample] = []
    public var malformed: [String] = []
    /// `# TYPE name kind` lines.
    public var types: [String: String] = [:]

    public init(_ text: String) {
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) } else { malformed.append(line) }
                continue
            }
            if line.hasPrefix("#") || line.isEmpty { continue }
            guard let sample = Self.parse(line) else {
                malformed.append(line)
                continue
            }
            samples.append(sample)
        }
    }

    static func parse(_ line: String) -> Sample? {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
        let head = line[..<space]
        guard let brace = head.firstIndex(of: "{") else {
            return head.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
                ? Sample(name: String(head), labels: [:], value: value) : nil
        }
        guard head.last == "}" else { return nil }
        var labels: [String: String] = [:]
        var rest = head[head.index(after: brace)..<head.index(before: head.endIndex)]
        while !rest.isEmpty {
            guard let eq = rest.firstIndex(of: "="), rest[rest.index(after: eq)] == "\"" else { return nil }
            let key = String(rest[..<eq])
            var i = rest.index(eq, offsetBy: 2)
            var value = ""
            while i < rest.endIndex, rest[i] != "\"" {
                if rest[i] == "\\" { i = rest.index(after: i) }
                value.append(rest[i])
                i = rest.index(after: i)
            }
            guard i < rest.endIndex else { return nil }
            labels[key] = value
            rest = rest[rest.index(after: i)...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return Sample(name: String(head[..<brace]), labels: labels, value: value)
    }

    /// The value of the sample with this name and exactly these labels (nil: absent).
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
