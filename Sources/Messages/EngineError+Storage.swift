import Foundation

extension EngineError {
    /// What a failure that ran out of disk space becomes: `.insufficientStorage` (507) with a message
    /// that says so in Go's words ("no space left on device"); nil for any other failure.
    ///
    /// Out of space is: `ENOSPC` or `EDQUOT` as a `POSIXError` or a Foundation error (directly or as its
    /// underlying error, as `Data.write` and `FileHandle` throw them), or a text that says it:
    /// strerror's "No space left on device" and "Disk quota exceeded" (in an `.internal` error's message,
    /// or in any error's description), SQLite's "database or disk is full" (`SQLITE_FULL`, which GRDB
    /// reports). An `.insufficientStorage` error is returned as it is; other categories are not read.
    public static func outOfSpace(_ error: any Error) -> EngineError? {
        if let error = error as? EngineError {
            if error.code == .insufficientStorage { return error }
            return error.code == .internal ? outOfSpace(saying: error.message) : nil
        }
        if let code = posixCode(of: error as NSError), code == ENOSPC || code == EDQUOT {
            let path = (error as NSError).userInfo[NSFilePathErrorKey] as? String
            let text = code == ENOSPC ? noSpace : "disk quota exceeded"
            return EngineError(.insufficientStorage, path.map { "write \($0): \(text)" } ?? text)
        }
        return outOfSpace(saying: String(describing: error))
    }

    /// `.insufficientStorage` for a failure text that says the disk is full (see ``outOfSpace(_:)``).
    public static func outOfSpace(saying text: String) -> EngineError? {
        let lowered = text.lowercased()
        if lowered.contains(noSpace) || lowered.contains("disk quota exceeded") {
            return EngineError(.insufficientStorage, text.replacingOccurrences(of: "No space left on device", with: noSpace))
        }
        if lowered.contains("database or disk is full") {
            return EngineError(.insufficientStorage, "\(noSpace): \(text)")
        }
        return nil
    }

    private static let noSpace = "no space left on device"

    /// The errno a Foundation or POSIX error carries, itself or as its underlying error.
    private static func posixCode(of error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(exactly: error.code) }
        if error.domain == NSCocoaErrorDomain, error.code == CocoaError.fileWriteOutOfSpace.rawValue { return ENOSPC }
        return (error.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap(posixCode)
    }
}
