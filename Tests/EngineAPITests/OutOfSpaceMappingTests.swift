import Foundation
import Messages
import Testing

@testable import EngineAPI

/// A full disk answers 507 with "no space left on device", whichever layer the failure came from.
@Suite struct OutOfSpaceMappingTests {
    /// GRDB's `DatabaseError` as it describes a failed commit on a full disk.
    struct SQLiteFull: Error, CustomStringConvertible {
        var description: String { "SQLite error 13: database or disk is full - while executing `COMMIT TRANSACTION`" }
    }

    @Test func posixAndFoundationErrors() {
        let posix = ErrorMapping.response(for: POSIXError(.ENOSPC))
        #expect(posix == EngineErrorResponse(status: .insufficientStorage, message: "no space left on device"))
        let cocoa = ErrorMapping.response(for: CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "/d/tmp/x"]))
        #expect(cocoa == EngineErrorResponse(status: .insufficientStorage, message: "write /d/tmp/x: no space left on device"))
        let underlying = NSError(
            domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EDQUOT))])
        #expect(ErrorMapping.response(for: underlying) == EngineErrorResponse(status: .insufficientStorage, message: "disk quota exceeded"))
    }

    /// What `Data.write` throws on a write that finds no room (`/dev/full` answers every write with ENOSPC).
    @Test func aWriteToAFullDevice() {
        #expect(throws: (any Error).self) {
            do {
                try Data("x".utf8).write(to: URL(fileURLWithPath: "/dev/full"))
            } catch {
                #expect(ErrorMapping.response(for: error).status == .insufficientStorage)
                throw error
            }
        }
    }

    @Test func textsThatSayTheDiskIsFull() {
        let log = ErrorMapping.response(for: EngineError.internal("write /d/containers/c/c-json.log: No space left on device"))
        #expect(log == EngineErrorResponse(status: .insufficientStorage, message: "write /d/containers/c/c-json.log: no space left on device"))
        let sqlite = ErrorMapping.response(for: SQLiteFull())
        #expect(sqlite.status == .insufficientStorage)
        #expect(sqlite.message == "no space left on device: SQLite error 13: database or disk is full - while executing `COMMIT TRANSACTION`")
        let storage = EngineError(.insufficientStorage, "the build context does not fit")
        #expect(ErrorMapping.response(for: storage) == EngineErrorResponse(status: .insufficientStorage, message: "the build context does not fit"))
    }

    @Test func otherFailuresKeepTheirStatus() {
        #expect(ErrorMapping.response(for: POSIXError(.ENOENT)).status == .internalServerError)
        #expect(ErrorMapping.response(for: EngineError.notFound("No such image: no space left on device")).status == .notFound)
        #expect(ErrorMapping.response(for: EngineError.internal("write /d/x: Input/output error")).status == .internalServerError)
        let answered = EngineErrorResponse(status: .badRequest, message: "no space left on device")
        #expect(ErrorMapping.response(for: answered) == answered)
    }
}
