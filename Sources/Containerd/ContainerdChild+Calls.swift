import GRPCCore
import Messages

extension ContainerdChild {
    /// The connection of the running incarnation; `unavailable` between incarnations.
    func connected() throws -> ContainerdConnection {
        guard let connection else { throw EngineError.unavailable("containerd is not connected") }
        return connection
    }

    /// Runs one call on the current connection; its failure becomes an `EngineError` naming `operation`.
    func call<T>(_ operation: @autoclosure () -> String, _ body: (ContainerdConnection) async throws -> T) async throws -> T {
        let connection = try connected()
        do {
            return try await body(connection)
        } catch {
            throw EngineError.containerd(operation(), error)
        }
    }

    /// Like `call`, but `nil` when containerd answers that what the call names is not there.
    func callUnlessNotFound<T>(_ operation: @autoclosure () -> String, _ body: (ContainerdConnection) async throws -> T) async throws -> T? {
        let connection = try connected()
        do {
            return try await body(connection)
        } catch where error.rpcCode == .notFound {
            return nil
        } catch {
            throw EngineError.containerd(operation(), error)
        }
    }

    /// Like `call`, but `nil` when containerd answers that what the call creates is there already.
    func callUnlessAlreadyExists<T>(_ operation: @autoclosure () -> String, _ body: (ContainerdConnection) async throws -> T) async throws -> T? {
        let connection = try connected()
        do {
            return try await body(connection)
        } catch where error.rpcCode == .alreadyExists {
            return nil
        } catch {
            throw EngineError.containerd(operation(), error)
        }
    }
}
