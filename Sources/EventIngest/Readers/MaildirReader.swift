import Foundation

/// Reads the mails of a Maildir (`new/` and `cur/`).
///
/// A mail's identity is its unique file name before the `:2,` info suffix, so a
/// mail reader that moves it from `new/` to `cur/` or adds flags (`:2,S`) does
/// not make it a new mail; the store remembers identities already applied.
public struct MaildirReader: Sendable {
    /// A mail file found in the Maildir.
    public struct Entry: Sendable, Hashable {
        /// The unique name without the info suffix: stable across renames by mail readers.
        public var identity: String
        /// The file's current path.
        public var path: String

        public init(identity: String, path: String) {
            self.identity = identity
            self.path = path
        }
    }

    /// A mail read from the Maildir.
    public struct Mail: Sendable, Hashable {
        public var identity: String
        public var path: String
        /// The mail, or only its first `maxMailBytes` when it is larger (see `size`).
        public var bytes: [UInt8]
        /// The mail's whole size in bytes.
        public var size: Int

        /// Whether `bytes` is only a prefix: the mail is above the reader's size cap.
        public var isTruncated: Bool { bytes.count < size }
    }

    /// The default cap on the bytes read of one mail: a delivery report is a few KiB, its
    /// returned message rarely more than a few MiB.
    public static let defaultMaxMailBytes = 4 << 20

    /// Why a Maildir operation failed.
    public enum Failure: Error, Sendable, Hashable {
        /// The folder is not a Maildir (no `new/` or `cur/`) or cannot be listed.
        case notAMaildir(String)
        /// The mail vanished from `new/` and `cur/` (deleted meanwhile).
        case vanished(identity: String)
        /// The file exists but could not be read or moved.
        case io(path: String, reason: String)
    }

    /// The Maildir folder (the one holding `new/`, `cur/`, `tmp/`).
    public let root: String
    /// At most this many bytes of a mail are read (memory stays flat whatever lands in the folder).
    public let maxMailBytes: Int

    public init(root: String, maxMailBytes: Int = MaildirReader.defaultMaxMailBytes) {
        self.root = root
        self.maxMailBytes = max(1, maxMailBytes)
    }

    /// The identity of a Maildir file name: everything before `:2,` (or the whole name).
    public static func identity(ofFileName name: String) -> String {
        if let range = name.range(of: ":2,", options: .backwards) { return String(name[..<range.lowerBound]) }
        return name
    }

    /// Every mail in `new/` and `cur/`, ordered by identity (Maildir names start with the delivery time).
    /// When the same identity shows in both folders (a rename in progress) `cur/` wins.
    public func entries() throws(Failure) -> [Entry] {
        let manager = FileManager.default
        var byIdentity: [String: Entry] = [:]
        var foundFolder = false
        for folder in ["new", "cur"] {
            let directory = (root as NSString).appendingPathComponent(folder)
            guard let names = try? manager.contentsOfDirectory(atPath: directory) else { continue }
            foundFolder = true
            for name in names where !name.hasPrefix(".") {
                let identity = Self.identity(ofFileName: name)
                byIdentity[identity] = Entry(identity: identity, path: (directory as NSString).appendingPathComponent(name))
            }
        }
        guard foundFolder else { throw .notAMaildir(root) }
        return byIdentity.values.sorted { $0.identity < $1.identity }
    }

    /// Reads one mail (at most `maxMailBytes` of it); if a mail reader renamed it since it was
    /// listed, finds it again by identity.
    public func read(_ entry: Entry) throws(Failure) -> Mail {
        if let mail = readCapped(entry) { return mail }
        guard let moved = try entries().first(where: { $0.identity == entry.identity }) else {
            throw .vanished(identity: entry.identity)
        }
        guard let mail = readCapped(moved) else { throw .io(path: moved.path, reason: "unreadable") }
        return mail
    }

    private func readCapped(_ entry: Entry) -> Mail? {
        guard let handle = FileHandle(forReadingAtPath: entry.path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil else { return nil }
        let read: Data?? = try? handle.read(upToCount: maxMailBytes)
        guard let data = read else { return nil }
        let bytes = Array(data ?? Data())
        return Mail(identity: entry.identity, path: entry.path, bytes: bytes, size: max(Int(size), bytes.count))
    }

    /// Every mail whose identity is not in `seen`, read, in identity order.
    /// Mails that vanish while reading are skipped (they are gone; nothing to apply).
    public func unseenMails(seen: Set<String> = []) throws(Failure) -> [Mail] {
        var mails: [Mail] = []
        for entry in try entries() where !seen.contains(entry.identity) {
            do {
                mails.append(try read(entry))
            } catch .vanished {
                continue
            }
        }
        return mails
    }

    /// Moves a processed mail to `doneFolder` (created when missing), keeping its file name.
    /// Returns the new path.
    @discardableResult
    public func moveToDone(_ mail: Mail, doneFolder: String) throws(Failure) -> String {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: doneFolder, withIntermediateDirectories: true)
            let target = (doneFolder as NSString).appendingPathComponent((mail.path as NSString).lastPathComponent)
            if manager.fileExists(atPath: target) { try manager.removeItem(atPath: target) }
            try manager.moveItem(atPath: mail.path, toPath: target)
            return target
        } catch {
            throw .io(path: mail.path, reason: String(describing: error))
        }
    }
}
