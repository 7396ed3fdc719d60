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
        public var bytes: [UInt8]
    }

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

    public init(root: String) {
        self.root = root
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

    /// Reads one mail; if a mail reader renamed it since it was listed, finds it again by identity.
    public func read(_ entry: Entry) throws(Failure) -> Mail {
        if let data = FileManager.default.contents(atPath: entry.path) {
            return Mail(identity: entry.identity, path: entry.path, bytes: Array(data))
        }
        guard let moved = try entries().first(where: { $0.identity == entry.identity }) else {
            throw .vanished(identity: entry.identity)
        }
        guard let data = FileManager.default.contents(atPath: moved.path) else {
            throw .io(path: moved.path, reason: "unreadable")
        }
        return Mail(identity: moved.identity, path: moved.path, bytes: Array(data))
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
