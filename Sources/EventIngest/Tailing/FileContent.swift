import CZlib
import Foundation

/// Reading an input file as its content: a gzip file (by its magic bytes) is inflated, so
/// `mail.log.2.gz`, `events.jsonl.gz` or `bounce.eml.gz` are detected and parsed like the
/// plain file they hold.
enum FileContent {
    /// Whether the file starts with the gzip magic bytes.
    static func isGzip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        return magic.elementsEqual([0x1F, 0x8B])
    }

    /// The first `count` bytes of the content (inflated for gzip); nil when the file cannot be read.
    static func head(_ path: String, count: Int) -> [UInt8]? {
        read(path, limit: count)
    }

    /// The whole content (inflated for gzip); nil when the file cannot be read or is not valid gzip.
    static func all(_ path: String) -> [UInt8]? {
        read(path, limit: nil)
    }

    /// The name without a `.gz` suffix: what the extension tie-breaks of `FormatDetect` look at.
    static func innerName(_ path: String) -> String {
        path.lowercased().hasSuffix(".gz") ? String(path.dropLast(3)) : path
    }

    private static func read(_ path: String, limit: Int?) -> [UInt8]? {
        guard isGzip(path) else {
            guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
            defer { try? handle.close() }
            if let limit {
                let data: Data? = try? handle.read(upToCount: limit)
                return Array(data ?? Data())
            }
            let data: Data?? = try? handle.readToEnd()
            guard let whole = data else { return nil }
            return Array(whole ?? Data())
        }
        guard let gz = gzopen(path, "rb") else { return nil }
        defer { gzclose(gz) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while limit.map({ out.count < $0 }) ?? true {
            let want = min(chunk.count, (limit ?? Int.max) - out.count)
            let n = chunk.withUnsafeMutableBytes { gzread(gz, $0.baseAddress, UInt32(want)) }
            if n < 0 { return limit == nil ? nil : out }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return out
    }
}
