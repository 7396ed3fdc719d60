import Foundation

/// A file to read, from where: one step of the tailer's plan.
///
/// Files are opened when the plan is made, so later renames by the rotator
/// (`name` → `name.1` → `name.2`, gzip + unlink) do not change what a step reads:
/// the descriptor follows the file. Only a live file that does not exist yet is
/// opened when reached.
struct LogTailerStep {
    var path: String
    var file: LogTailerFile?
    var offset: Int64
    /// The file at the live path (when the plan was made): rotation is watched on it, its end is never final.
    var live: Bool

    /// The live path, opened now if it exists.
    static func live(_ path: String, offset: Int64) -> LogTailerStep {
        LogTailerStep(path: path, file: try? LogTailerFile(path: path), offset: offset, live: true)
    }

    /// A rotated file opened now, or nil if it cannot be opened.
    static func rotated(_ path: String, offset: Int64) -> LogTailerStep? {
        guard let file = try? LogTailerFile(path: path) else { return nil }
        return LogTailerStep(path: path, file: file, offset: offset, live: false)
    }
}

/// Finding the rotated siblings of a log (`name.1`, `name.2.gz`, `name-20261125.gz`,
/// `name.20261125-115307.gz`) and the file a cursor was taken on.
enum LogTailerRotation {
    /// A rotated sibling of the live path.
    struct Sibling {
        var path: String
        var identity: FileIdentity
        /// `N` of `name.N[.gz]`, for ordering files with equal mtimes (larger is older).
        var rotationNumber: Int
    }

    /// The rotated siblings of `livePath`, oldest first (mtime, then larger rotation number, then name).
    static func siblings(of livePath: String) -> [Sibling] {
        let url = URL(fileURLWithPath: livePath)
        let directory = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [Sibling] = []
        for name in names where name != base && (name.hasPrefix(base + ".") || name.hasPrefix(base + "-")) {
            // Compressions zlib cannot read are left alone.
            if name.hasSuffix(".bz2") || name.hasSuffix(".xz") || name.hasSuffix(".zst") || name.hasSuffix(".lz4") { continue }
            let path = directory + "/" + name
            guard let identity = FileIdentity.of(path: path) else { continue }
            var suffix = Substring(name.dropFirst(base.count + 1))
            if suffix.hasSuffix(".gz") { suffix = suffix.dropLast(3) }
            found.append(Sibling(path: path, identity: identity, rotationNumber: Int(suffix) ?? 0))
        }
        return found.sorted { a, b in
            if a.identity.mtime != b.identity.mtime { return a.identity.mtime < b.identity.mtime }
            if a.rotationNumber != b.rotationNumber { return a.rotationNumber > b.rotationNumber }
            return a.path < b.path
        }
    }

    /// The plan that resumes `cursor` on `livePath`: finish the file the cursor was
    /// taken on (wherever rotation moved it), then the newer siblings, then the live file.
    ///
    /// - the live file is the cursor's (same inode, same first bytes, not shorter) → continue there;
    /// - a sibling is the cursor's file by inode (rename rotation while stopped), or
    ///   by content fingerprint (copytruncate copy, `.gz` of it) → drain it from the
    ///   offset, then every newer sibling, then the live file from 0;
    /// - nothing matches (truncated, replaced, reused inode, rotated away) → the live file from 0.
    static func resume(_ cursor: FileCursor, livePath: String) -> [LogTailerStep] {
        let live = FileIdentity.of(path: livePath)
        // (A `.gz` given as the live path: its offset counts decompressed bytes, so no size check.)
        if let live, live.device == cursor.device, live.inode == cursor.inode,
            cursor.compressed || live.size >= cursor.offset, let file = try? LogTailerFile(path: livePath),
            file.compressed == cursor.compressed, file.matches(cursor)
        {
            return [.live(livePath, offset: cursor.offset)]
        }
        let siblings = siblings(of: livePath)
        let chosen = siblings.firstIndex { sibling in
            sibling.identity.device == cursor.device && sibling.identity.inode == cursor.inode
                && ((try? LogTailerFile(path: sibling.path))?.matches(cursor) ?? false)
        } ?? (cursor.fingerprintLength > 0 ? newestMatchingContent(cursor, in: siblings) : nil)
        guard let chosen else { return [.live(livePath, offset: 0)] }
        return drain(siblings, from: chosen, offset: cursor.offset, livePath: livePath)
    }

    /// What follows a finished file: the siblings rotated after it (found now, so rotations made
    /// while it was read are included), then the live file from 0.
    static func after(_ finished: FileCursor, livePath: String) -> [LogTailerStep] {
        var steps = resume(finished, livePath: livePath)
        if steps.count > 1 { steps.removeFirst() }  // the finished file itself
        return steps
    }

    /// Sibling `chosen` from `offset`, every newer sibling from 0 (not the live file itself), then the live file from 0.
    static func drain(_ siblings: [Sibling], from chosen: Int, offset: Int64, livePath: String) -> [LogTailerStep] {
        let live = FileIdentity.of(path: livePath)
        var steps = [LogTailerStep.rotated(siblings[chosen].path, offset: offset)].compactMap { $0 }
        for newer in siblings[(chosen + 1)...] where newer.identity.inode != live?.inode || newer.identity.device != live?.device {
            if let step = LogTailerStep.rotated(newer.path, offset: 0) { steps.append(step) }
        }
        steps.append(.live(livePath, offset: 0))
        return steps
    }

    /// The newest sibling whose first bytes are the cursor's (a copy or a compressed copy of its file).
    static func newestMatchingContent(_ cursor: FileCursor, in siblings: [Sibling]) -> Int? {
        siblings.indices.reversed().first { index in
            (try? LogTailerFile(path: siblings[index].path))?.matches(cursor) ?? false
        }
    }

    /// The plan of a first read: every rotated sibling (modified since `modifiedSince`) oldest first
    /// (when backfilling), then the live file.
    static func firstRead(livePath: String, backfill: Bool, modifiedSince: Double? = nil) -> [LogTailerStep] {
        // mtimes are nanoseconds; a time outside ±290 years reads everything.
        let floor = modifiedSince.flatMap { Int64(exactly: ($0 * 1e9).rounded(.down)) } ?? .min
        let older = backfill
            ? siblings(of: livePath).filter { $0.identity.mtime >= floor }.compactMap { LogTailerStep.rotated($0.path, offset: 0) }
            : []
        return older + [.live(livePath, offset: 0)]
    }
}
