import Foundation
import GRDB

extension StateStore {
    /// The space kept beside the databases, in `<data-root>/state/reserve`, for removals on a full disk.
    static let reserveSize: off_t = 2 << 20

    /// Writes a change that frees space: a record removed. SQLite needs room to write even that (its
    /// write-ahead log grows), so on a full disk (`SQLITE_FULL`) the reserve file is given back to the
    /// filesystem and the write is tried once more: removing things, the way out of a full disk, works
    /// while the disk is full. The reserve is taken again at the next open or removal that finds room.
    public static func removing<T>(in database: DatabasePool, _ updates: (Database) throws -> T) throws -> T {
        let result: T
        do {
            result = try database.write(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL && releaseReserve(of: database) {
            result = try database.write(updates)
        }
        keepReserve(in: directory(of: database))
        return result
    }

    /// ``removing(in:_:)`` for async callers.
    public static func removing<T: Sendable>(in database: DatabasePool, _ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: T
        do {
            result = try await database.write(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL && releaseReserve(of: database) {
            result = try await database.write(updates)
        }
        keepReserve(in: directory(of: database))
        return result
    }

    /// Allocates the reserve file if it is missing and the disk has room for it (else leaves none).
    static func keepReserve(in directory: String) {
        let path = directory + "/reserve"
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        if posix_fallocate(descriptor, 0, reserveSize) != 0 { unlink(path) }
    }

    /// Removes the reserve file; false if there was none.
    private static func releaseReserve(of database: DatabasePool) -> Bool {
        unlink(directory(of: database) + "/reserve") == 0
    }

    private static func directory(of database: DatabasePool) -> String {
        URL(fileURLWithPath: database.path).deletingLastPathComponent().path
    }
}
