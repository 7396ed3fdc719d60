import Foundation
import TrackingModel

/// Reading JSON documents with JSONSerialization and explicit keys.
enum JSONDocument {
    /// A parsed JSON value (JSONSerialization's dictionaries, arrays, strings, numbers).
    typealias Object = [String: Any]

    /// The JSON values of a document: the whole document when it parses, else one
    /// value per non-empty line (JSON lines, as Firehose / log shippers write), each
    /// with its position (`line N`); a line that does not parse is a failure at that position.
    /// When not even the first line parses, the document is one failure (position `0`),
    /// so that a file of the wrong kind gives one quarantine record, not one per line.
    static func values(_ data: [UInt8]) -> [(position: String, value: Result<Any, JSONFailure>)] {
        if let whole = try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed]) {
            return [("0", .success(whole))]
        }
        var out: [(String, Result<Any, JSONFailure>)] = []
        var lineNumber = 0
        var cursor = 0
        while cursor < data.count {
            lineNumber += 1
            let end = data[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? data.count
            let line = data[cursor..<end]
            cursor = end + 1
            guard line.contains(where: { $0 > 32 }) else { continue }
            let position = "line \(lineNumber)"
            if let value = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) {
                out.append((position, .success(value)))
            } else if out.isEmpty {
                break
            } else {
                out.append((position, .failure(JSONFailure(excerpt: String(decoding: line.prefix(200), as: UTF8.self)))))
            }
        }
        if out.isEmpty {
            out.append(("0", .failure(JSONFailure(excerpt: String(decoding: data.prefix(200), as: UTF8.self)))))
        }
        return out
    }

    /// A JSON text that did not parse.
    struct JSONFailure: Error {
        var excerpt: String
    }

    /// A compact, key-sorted rendering of a value: stable input for fingerprints and excerpts.
    static func canonical(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        else { return String(describing: value) }
        return String(decoding: data, as: UTF8.self)
    }

    /// A string value (numbers are rendered as text); nil for missing, null or empty.
    static func string(_ object: Object?, _ key: String) -> String? {
        switch object?[key] {
        case let text as String: return text.isEmpty ? nil : text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    /// A nested object.
    static func object(_ object: Object?, _ key: String) -> Object? {
        object?[key] as? Object
    }

    /// A boolean (`true`, `1`, `"true"`).
    static func bool(_ object: Object?, _ key: String) -> Bool? {
        switch object?[key] {
        case let flag as Bool: return flag
        case let number as NSNumber: return number.intValue != 0
        case let text as String: return ["true", "1", "yes"].contains(text.lowercased())
        default: return nil
        }
    }

    /// An array of objects.
    static func objects(_ object: Object?, _ key: String) -> [Object] {
        (object?[key] as? [Any])?.compactMap { $0 as? Object } ?? []
    }

    /// An array of strings (or a single string as a one-element array).
    static func strings(_ object: Object?, _ key: String) -> [String] {
        switch object?[key] {
        case let text as String: return [text]
        case let list as [Any]: return list.compactMap { $0 as? String }
        default: return []
        }
    }

    /// Builds the quarantine record of one item.
    static func quarantine(source: SignalSource, path: String, position: String, reason: String, value: Any?) -> QuarantineItem {
        let excerpt = value.map { String(canonical($0).prefix(200)) } ?? ""
        return QuarantineItem(source: source.rawValue, path: path, position: position, reason: reason, excerpt: excerpt)
    }
}

/// Why one provider item could not be used.
struct JSONItemProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

extension JSONDocument {
    /// Runs a provider's item parser over every item of a document and collects the results.
    ///
    /// - Parameters:
    ///   - unwrap: splits one parsed JSON value into items with their positions
    ///     (an array's elements, a page's `items`...); nil when the value is not this provider's shape.
    ///   - nextPage: the next-page URL a value carries (Mailgun pages).
    ///   - parse: turns one item into events, or throws the reason it is unusable.
    static func batch(
        _ data: [UInt8], source: SignalSource, path: String,
        unwrap: (Any, String) -> [(position: String, item: Any)]?,
        nextPage: (Any) -> String? = { _ in nil },
        parse: (Object, String) throws(JSONItemProblem) -> [ParsedEvent]
    ) -> IngestBatch {
        var batch = IngestBatch()
        for (position, result) in values(data) {
            let value: Any
            switch result {
            case .success(let parsed): value = parsed
            case .failure(let failure):
                batch.quarantined.append(
                    QuarantineItem(
                        source: source.rawValue, path: path, position: position, reason: "not JSON", excerpt: failure.excerpt))
                continue
            }
            guard let items = unwrap(value, position) else {
                batch.quarantined.append(
                    quarantine(source: source, path: path, position: position, reason: "not a \(source.rawValue) document", value: value))
                continue
            }
            batch.nextPage = nextPage(value) ?? batch.nextPage
            for (itemPosition, item) in items {
                guard let object = item as? Object else {
                    batch.quarantined.append(
                        quarantine(source: source, path: path, position: itemPosition, reason: "item is not an object", value: item))
                    continue
                }
                do {
                    batch.events += try parse(object, itemPosition)
                } catch {
                    batch.quarantined.append(
                        quarantine(source: source, path: path, position: itemPosition, reason: error.reason, value: object))
                }
            }
        }
        return batch
    }

    /// The elements of an array with positions `base[i]`, or the value itself.
    static func elements(_ value: Any, _ base: String) -> [(position: String, item: Any)] {
        if let array = value as? [Any] {
            return array.enumerated().map { (base == "0" ? "[\($0.offset)]" : "\(base)[\($0.offset)]", $0.element) }
        }
        return [(base, value)]
    }

    /// A required timestamp.
    static func requiredTime(_ value: Any?, _ name: String) throws(JSONItemProblem) -> Double {
        guard let time = JSONTime.epoch(value) else { throw JSONItemProblem("missing or bad \(name)") }
        return time
    }
}
