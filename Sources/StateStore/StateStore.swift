import Foundation
import GRDB
import GRDBSQLite

/// Opens the SQLite databases of berthd's children: one file per child under `<data-root>/state/`, in
/// WAL mode, with the child's migrations applied. A restarted child opens its file again and finds
/// everything committed before its predecessor failed. Beside them a reserve file keeps room for
/// removals on a full disk (``removing(in:_:)``).
public enum StateStore {
    /// The directory holding the children's database files.
    public static func directory(dataRoot: String) -> String { dataRoot + "/state" }

    /// Opens (creating if needed) `<data-root>/state/<name>.db` and migrates it.
    public static func open(
        dataRoot: String, name: String, migrations: (inout DatabaseMigrator) -> Void
    ) throws -> DatabasePool {
        let directory = directory(dataRoot: dataRoot)
        // mkdir(2) first: FileManager reads the user and group databases on every call, at every start.
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = name
        configuration.prepareDatabase { try keepWriteAheadLog($0) }
        let pool = try DatabasePool(path: "\(directory)/\(name).db", configuration: configuration)
        keepReserve(in: directory)
        var migrator = DatabaseMigrator()
        migrations(&migrator)
        try migrator.migrate(pool)
        return pool
    }

    /// Keeps the `-wal` and `-shm` files when the last connection closes. Without it SQLite deletes them
    /// at every clean shutdown and GRDB, finding no log at the next open, writes a throwaway table to
    /// create one: a commit and two syncs per database at every start. (The log keeps its size between
    /// runs, and the frames a clean shutdown checkpointed are indexed again at the next open.)
    private static func keepWriteAheadLog(_ db: Database) throws {
        var persist: CInt = 1
        let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    /// The total size in bytes of the files under `path` (for `/system/df`); 0 if it does not exist.
    public static func diskUsage(of path: String) -> Int64 {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        while let entry = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + entry)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }
}
