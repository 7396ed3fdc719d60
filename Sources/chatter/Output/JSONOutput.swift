import Foundation
import TrackingModel

/// A JSON value with ordered object keys, so every command prints its fields
/// in the order the README lists them.
enum JSON {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case int(Int64)
    case number(Double)
    case bool(Bool)
    case null

    static func str(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    static func id(_ v: Int64?) -> JSON { v.map(JSON.int) ?? .null }
    static func num(_ v: Double?) -> JSON { v.map(JSON.number) ?? .null }
    static func bool(_ v: Bool?) -> JSON { v.map(JSON.bool) ?? .null }

    /// Compact serialisation (one line); control characters are escaped.
    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .object(let fields):
            out.append("{")
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out.append(", ") }
                JSON.writeString(k, into: &out)
                out.append(": ")
                v.write(into: &out)
            }
            out.append("}")
        case .array(let items):
            out.append("[")
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(", ") }
                v.write(into: &out)
            }
            out.append("]")
        case .string(let s): JSON.writeString(s, into: &out)
        case .int(let v): out.append(String(v))
        case .number(let v):
            if v.isFinite {
                if v == v.rounded(), abs(v) < 1e15 { out.append(String(Int64(v))) } else { out.append(String(v)) }
            } else {
                out.append("null")
            }
        case .bool(let b): out.append(b ? "true" : "false")
        case .null: out.append("null")
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        JSONText.appendString(s, to: &out)
    }
}
