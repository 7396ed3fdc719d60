import Foundation
import GRDB

extension TrackingStore {
    /// A consistent copy of the live store at `destination` (`VACUUM INTO`: one read
    /// transaction, so writers in other processes go on; the copy is compacted). Written to
    /// `destination.partial`, then renamed, so a failed backup leaves no half file under
    /// the name. An existing `destination` is refused. Returns the copy's size in bytes.
    @discardableResult
    public func backup(to destination: String) throws(StoreError) -> Int64 {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            throw .invalidInput("\(destination) exists; a backup never overwrites (remove it or pick another name)")
        }
        let partial = destination + ".partial"
        try? fm.removeItem(atPath: partial)
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [partial]) }
            try fm.moveItem(atPath: partial, toPath: destination)
        } catch {
            try? fm.removeItem(atPath: partial)
            if let e = error as? CocoaError {
                throw .storage("cannot write \(destination): \(e.localizedDescription)")
            }
            throw StoreError.wrap(error)
        }
        return Self.fileSize(destination)
    }
}
