import Archive
import Messages

extension EngineError {
    /// Docker's 404 for a path missing from a container (`docker cp`, `HEAD …/archive`).
    static func fileNotFound(_ path: String, inContainer container: String) -> EngineError {
        .notFound("Could not find the file \(path) in container \(container)")
    }

    /// Runs a filesystem operation and gives its failures the API's categories: an `EngineError`
    /// stays as it is; an unreadable archive that a client sent (`archiveIsInput`) is a 400; any
    /// other failure (a system call, writing the output) is a 500 that says what failed.
    static func mappingFilesystemErrors<Result>(archiveIsInput: Bool = false, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as EngineError {
            throw error
        } catch let error as ArchiveError where archiveIsInput && error.code != .io {
            throw EngineError.invalidArgument("invalid tar archive: \(error.message)")
        } catch {
            throw EngineError.internal(String(describing: error))
        }
    }
}
