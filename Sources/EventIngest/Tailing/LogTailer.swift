#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tuning of a `LogTailer`.
public struct LogTailerOptions: Sendable, Hashable {
    /// Read the rotated siblings (`name.N[.gz]`, `name-DATE[.gz]`) oldest first when there is no cursor yet.
    public var backfillRotated: Bool
    /// On that first read, skip the siblings last written before this time (epoch seconds; nil: read all):
    /// they cannot hold a line written later (reconciliation looks for lines after an attempt start).
    public var backfillModifiedSince: Double?
    /// Initial read buffer size.
    public var bufferSize: Int
    /// A line longer than this is not handed out: it is skipped to its newline and reported
    /// once as an `OverlongLine` (the reader quarantines it), so memory stays bounded.
    public var maxLineLength: Int

    public init(
        backfillRotated: Bool = true, backfillModifiedSince: Double? = nil, bufferSize: Int = 256 * 1024,
        maxLineLength: Int = 1 << 20
    ) {
        self.backfillRotated = backfillRotated
        self.backfillModifiedSince = backfillModifiedSince
        self.bufferSize = max(bufferSize, 64)
        self.maxLineLength = max(maxLineLength, self.bufferSize)
    }
}

/// One complete line handed out by the tailer (without its newline).
public struct TailLine: Sendable, Hashable {
    public var bytes: [UInt8]
    /// Byte offset of the line's first byte in `path` (decompressed offset for `.gz`).
    public var offset: Int64
    /// The file it was read from (the live path or a rotated sibling).
    public var path: String
}

/// Lines and the cursor just after the last of them: commit both in one transaction.
public struct TailBatch: Sendable, Hashable {
    public var lines: [TailLine]
    /// The lines too long to hand out, skipped among them.
    public var overlong: [OverlongLine] = []
    /// Where to resume after these lines; nil only while no file has been opened yet.
    public var cursor: FileCursor?
}

/// Follows a log file by path across rotations, handing out complete lines with a resumable cursor.
///
/// - Reads with `read(2)` into one reusable buffer and splits with `memchr`;
///   never loads a whole file.
/// - A partial last line is held until its newline arrives (the cursor stays
///   before it); the last line of a rotated file is handed out even without one.
/// - Rename rotation: the old descriptor is drained to its end (again once the
///   new file has data, so the writer's last lines into the old file are not
///   lost), then the new file is read from 0.
/// - `copytruncate` / truncation: noticed by a size below the read position or a
///   changed fingerprint of the first bytes; the rotated copy is found by content
///   and read from the cursor offset first, then the live file from 0.
/// - Restart from a saved `FileCursor` (see `LogTailerRotation.resume`): no line
///   is lost or repeated as long as the file the cursor names still exists
///   somewhere among the live path and its siblings (plain or `.gz`).
/// - First read without a cursor: rotated siblings oldest first (plain and
///   `.gz`), then the live file.
///
/// Not thread-safe: one tailer per source, used from one task. After an error
/// (or a failed commit of a batch), make a new tailer from the last committed cursor.
public final class LogTailer {
    /// The live path followed.
    public let path: String
    private let options: LogTailerOptions
    private var plan: [LogTailerStep]?
    private var current: LogTailerFile?
    private var currentIsLive = false
    /// The writer moved to a new file: drain the old one once more, then switch.
    private var rotationSeen = false
    private var fingerprint: FileFingerprint?

    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// File offset of `buffer[start]`: just after the last line handed out.
    private var lineOffset: Int64 = 0
    private let savedCursor: FileCursor?
    /// Inodes of the rotated siblings when the live file was opened (see `copiedBeforeSeen`).
    private var knownSiblings: Set<UInt64> = []
    /// Where the last finished file stood, for `cursor()` between files.
    private var lastCursor: FileCursor?
    /// The over-long line being skipped (its start, the bytes skipped so far, its head);
    /// `lineOffset` stays at its start until its newline is found.
    private var skipping: OverlongLine?
    /// Whether the last `read` stopped at its line or byte limit (more may be waiting)
    /// rather than at the end of what the files hold now.
    public private(set) var stoppedAtLimit = false

    /// - Parameters:
    ///   - path: the live log path.
    ///   - cursor: the last committed cursor of this source, or nil for a first read.
    public init(path: String, cursor: FileCursor?, options: LogTailerOptions = LogTailerOptions()) {
        self.path = path
        self.options = options
        savedCursor = cursor
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: options.bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Reads up to `maxLines` lines / about `maxBytes` bytes (fewer when the file has no more yet).
    public func readBatch(maxLines: Int = 10_000, maxBytes: Int = 4 << 20) throws -> TailBatch {
        var lines: [TailLine] = []
        var overlong: [OverlongLine] = []
        let cursor = try read(maxLines: maxLines, maxBytes: maxBytes, overlong: { overlong.append($0) }) { bytes, offset, path in
            lines.append(TailLine(bytes: Array(bytes), offset: offset, path: path))
        }
        return TailBatch(lines: lines, overlong: overlong, cursor: cursor)
    }

    /// Hands each line to `body` without copying (the bytes are valid only during the call), then returns the cursor after them.
    ///
    /// A line longer than `maxLineLength` goes to `overlong` instead, once, after it was skipped
    /// whole (it counts as one line). If `body` or `overlong` throws, the tailer has moved past
    /// the line: make a new tailer from the last committed cursor.
    @discardableResult
    public func read(
        maxLines: Int = 10_000, maxBytes: Int = 4 << 20, overlong: (OverlongLine) throws -> Void = { _ in },
        _ body: (UnsafeRawBufferPointer, Int64, String) throws -> Void
    ) throws -> FileCursor? {
        if plan == nil {
            plan = savedCursor.map { LogTailerRotation.resume($0, livePath: path) }
                ?? LogTailerRotation.firstRead(
                    livePath: path, backfill: options.backfillRotated, modifiedSince: options.backfillModifiedSince)
        }
        if let file = current, currentIsLive, !rotationSeen {
            // Before reading on: a file truncated and rewritten past our position since the last batch.
            _ = checkTruncation(file)
        }
        var lines = 0
        var bytes = 0
        stoppedAtLimit = false
        defer { stoppedAtLimit = lines >= maxLines || bytes >= maxBytes }
        reading: while lines < maxLines && bytes < maxBytes {
            guard let file = current else {
                if try openNext() { continue }
                break
            }
            if skipping != nil {
                if let newline = buffer.firstIndexOfNewline(from: start, to: end) {
                    try endSkip(lineEnd: newline, next: newline + 1, overlong)
                    lines += 1
                    continue
                }
                skipping?.length += Int64(end - start)
                start = 0
                end = 0
            } else if let newline = buffer.firstIndexOfNewline(from: start, to: end) {
                bytes += newline + 1 - start
                try handOut(start, newline, next: newline + 1, file: file, body)
                lines += 1
                continue
            } else if start == 0, end == buffer.count, buffer.count >= options.maxLineLength {
                // A line longer than any real log line: skip it to its newline without keeping it.
                let head = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<min(end, OverlongLine.excerptLength)]))
                skipping = OverlongLine(offset: lineOffset, length: Int64(end), path: file.path, head: head)
                start = 0
                end = 0
                continue
            }
            if try fill(file) > 0 { continue }
            // At the end of what the file has now.
            if !currentIsLive, !rotationSeen, plan?.first?.live ?? true {
                // The newest rotated file: the writer may still be writing to it until the live file has data.
                guard let live = FileIdentity.of(path: path), live.size > 0 else { break reading }
                rotationSeen = true
                continue  // one more read of it now that the writer has moved over
            }
            if !currentIsLive || rotationSeen {
                if skipping != nil {
                    try endSkip(lineEnd: end, next: end, overlong)
                    lines += 1
                } else if end > start {
                    try handOut(start, end, next: end, file: file, body)
                    lines += 1
                }
                finish(file)
                if plan?.first?.live ?? true, let done = lastCursor {
                    // Whatever was rotated after the finished file (also while it was read), then the live file.
                    plan = LogTailerRotation.after(done, livePath: path)
                }
                rotationSeen = false
                continue
            }
            switch watchLive(file) {
            case .quiet: break reading
            case .rotated: rotationSeen = true
            case .truncated: continue
            }
        }
        return cursor()
    }

    /// The cursor at the current position (after the last line handed out).
    public func cursor() -> FileCursor? {
        if let file = current { return cursor(file, offset: lineOffset, fingerprint: currentFingerprint(file)) }
        if let next = plan?.first, next.offset == 0, let file = next.file ?? (try? LogTailerFile(path: next.path)) {
            // Between files: the next one at 0, so a restart does not depend on the finished one still existing.
            return cursor(file, offset: 0, fingerprint: file.fingerprint() ?? FileFingerprint(hash: 0, length: 0))
        }
        return lastCursor ?? savedCursor
    }

    private func cursor(_ file: LogTailerFile, offset: Int64, fingerprint fp: FileFingerprint) -> FileCursor {
        FileCursor(
            device: file.identity.device, inode: file.identity.inode, offset: offset, fingerprint: fp.hex,
            fingerprintLength: fp.length, size: file.currentSize(), path: file.path, compressed: file.compressed)
    }

    /// Leaves `file` (drained or truncated), remembering where it stood.
    private func finish(_ file: LogTailerFile) {
        lastCursor = cursor(file, offset: lineOffset, fingerprint: currentFingerprint(file))
        current = nil
        start = 0
        end = 0
        skipping = nil
    }

    /// The skipped over-long line ends at `buffer[lineEnd]` (its newline, or the end of its file):
    /// reports it and moves past it.
    private func endSkip(lineEnd: Int, next: Int, _ overlong: (OverlongLine) throws -> Void) throws {
        guard var line = skipping else { return }
        line.length += Int64(lineEnd - start)
        lineOffset = line.offset + line.length + Int64(next - lineEnd)
        start = next
        skipping = nil
        try overlong(line)
    }

    // MARK: steps

    private func handOut(
        _ from: Int, _ to: Int, next: Int, file: LogTailerFile, _ body: (UnsafeRawBufferPointer, Int64, String) throws -> Void
    ) throws {
        let offset = lineOffset
        lineOffset += Int64(next - from)
        start = next
        try body(UnsafeRawBufferPointer(rebasing: buffer[from..<to]), offset, file.path)
    }

    /// Opens the next step of the plan; false when there is nothing to open (live file missing).
    private func openNext() throws -> Bool {
        guard var plan, let step = plan.first else { return false }
        let file: LogTailerFile
        if let opened = step.file {
            file = opened
        } else {
            do {
                file = try LogTailerFile(path: step.path)
            } catch let error as LogTailerError where error.errno == ENOENT {
                return false  // wait for the writer to create it
            }
        }
        plan.removeFirst()
        self.plan = plan
        var offset = step.offset
        if !(try file.seek(to: offset)) {
            // Shorter than the cursor: a rotated copy has nothing left; the live file was truncated meanwhile.
            guard step.live else { return true }
            offset = 0
            _ = try file.seek(to: 0)
        }
        current = file
        currentIsLive = step.live
        rotationSeen = false
        start = 0
        end = 0
        skipping = nil
        lineOffset = offset
        fingerprint = file.fingerprint()
        if step.live { knownSiblings = Set(LogTailerRotation.siblings(of: path).map(\.identity.inode)) }
        return true
    }

    /// Reads more bytes into the buffer; 0 at end of file.
    private func fill(_ file: LogTailerFile) throws -> Int {
        if start > 0 {
            if end > start, let base = buffer.baseAddress { memmove(base, base + start, end - start) }
            end -= start
            start = 0
        }
        if end == buffer.count {
            // No newline in a full buffer: grow it (up to maxLineLength, checked by the caller).
            let bigger = UnsafeMutableRawBufferPointer.allocate(
                byteCount: min(buffer.count * 2, options.maxLineLength), alignment: 16)
            bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
            buffer.deallocate()
            buffer = bigger
        }
        let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        end += n
        return n
    }

    private enum LiveState { case quiet, rotated, truncated }

    /// At the end of the live file: has it been renamed away, replaced or truncated?
    private func watchLive(_ file: LogTailerFile) -> LiveState {
        if let now = FileIdentity.of(path: path),
            now.device != file.identity.device || now.inode != file.identity.inode
        {
            // Renamed or replaced. Switch once the writer writes to the new file.
            return now.size > 0 ? .rotated : .quiet
        }
        return checkTruncation(file) ? .truncated : .quiet
    }

    /// Whether the live file shrank below the read position or its first bytes changed; if so, re-plans:
    /// the rotated copy from our position (copytruncate), then the live file from 0.
    private func checkTruncation(_ file: LogTailerFile) -> Bool {
        if let fp = fingerprint, fp.length == 0, lineOffset == 0, copiedBeforeSeen(file, fp) { return true }
        let size = file.currentSize()
        // A gzip file's position counts decompressed bytes: compare its size on disk with the opening one.
        let shrunk = file.compressed ? size < file.identity.size : size < file.position
        let rewritten = !shrunk && (fingerprint.map { $0.length > 0 && file.fingerprint(length: $0.length) != $0 } ?? false)
        guard shrunk || rewritten else {
            if let fp = fingerprint, fp.length < FileFingerprint.maxLength, size > fp.length {
                fingerprint = file.fingerprint()
            }
            return false
        }
        // copytruncate: the copy holds what was written after our last line; read it from there first.
        let old = cursor(file, offset: lineOffset, fingerprint: fingerprint ?? FileFingerprint(hash: 0, length: 0))
        let siblings = LogTailerRotation.siblings(of: path)
        if old.fingerprintLength > 0, let index = LogTailerRotation.newestMatchingContent(old, in: siblings) {
            plan = LogTailerRotation.drain(siblings, from: index, offset: lineOffset, livePath: path)
        } else {
            plan = [.live(path, offset: 0)]
        }
        current = nil
        start = 0
        end = 0
        skipping = nil
        lastCursor = old
        return true
    }

    /// The blind spot of size and fingerprint checks: content written and copy-truncated away
    /// while we had seen the file only empty. A new plain sibling (another inode, not a prefix
    /// of the live content) is then that copy: read it from 0 first.
    private func copiedBeforeSeen(_ file: LogTailerFile, _ fp: FileFingerprint) -> Bool {
        let siblings = LogTailerRotation.siblings(of: path)
        defer { knownSiblings = Set(siblings.map(\.identity.inode)) }
        let copy = siblings.firstIndex { sibling in
            guard !knownSiblings.contains(sibling.identity.inode), sibling.identity.inode != file.identity.inode,
                sibling.identity.size > 0, let opened = try? LogTailerFile(path: sibling.path), !opened.compressed,
                let head = opened.fingerprint(length: Int(min(sibling.identity.size, Int64(FileFingerprint.maxLength))))
            else { return false }
            return file.fingerprint(length: head.length, exact: true) != head
        }
        guard let copy else { return false }
        plan = LogTailerRotation.drain(siblings, from: copy, offset: 0, livePath: path)
        lastCursor = cursor(file, offset: 0, fingerprint: fp)
        current = nil
        start = 0
        end = 0
        skipping = nil
        return true
    }

    private func currentFingerprint(_ file: LogTailerFile) -> FileFingerprint {
        if let fp = fingerprint, fp.length >= FileFingerprint.maxLength || file.compressed { return fp }
        let fresh = file.fingerprint() ?? FileFingerprint(UnsafeRawBufferPointer(start: nil, count: 0))
        fingerprint = fresh
        return fresh
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Index of the first `\n` in `from..<to`, via memchr.
    @inline(__always)
    fileprivate func firstIndexOfNewline(from: Int, to: Int) -> Int? {
        guard from < to, let base = baseAddress, let hit = memchr(base + from, 0x0A, to - from) else { return nil }
        return base.distance(to: hit)
    }
}
