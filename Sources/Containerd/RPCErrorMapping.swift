import GRPCCore
import Messages

extension EngineError {
    /// The error a failed containerd call becomes; `operation` says what failed ("content write
    /// sha256:…") and leads the message: `containerd: <operation>: <containerd's message>`.
    ///
    /// | gRPC status                           | EngineError        |
    /// |---------------------------------------|--------------------|
    /// | notFound                              | `.notFound`        |
    /// | alreadyExists                         | `.conflict`        |
    /// | invalidArgument, failedPrecondition   | `.invalidArgument` |
    /// | unavailable                           | `.unavailable`     |
    /// | deadlineExceeded                      | `.deadlineExceeded`|
    /// | any other, or not a gRPC error        | `.internal`        |
    ///
    /// Whatever the status, a message that says the disk is full ("no space left on device" from a
    /// content write, a snapshot or diff apply, runc at task create) is `.insufficientStorage`.
    /// An `EngineError` passes through unchanged.
    static func containerd(_ operation: String, _ error: any Error) -> EngineError {
        if let error = error as? EngineError { return error }
        guard let rpc = error as? RPCError else { return .internal("containerd: \(operation): \(error)") }
        let message = "containerd: \(operation): \(rpc.message)"
        if let full = EngineError.outOfSpace(saying: message) { return full }
        switch rpc.code {
        case .notFound: return .notFound(message)
        case .alreadyExists: return .conflict(message)
        case .invalidArgument, .failedPrecondition: return .invalidArgument(message)
        case .unavailable: return .unavailable(message)
        case .deadlineExceeded: return EngineError(.deadlineExceeded, message)
        default: return .internal(message)
        }
    }
}

extension Error {
    /// The gRPC status code of a failed call; `nil` for an error that is not a gRPC one.
    var rpcCode: RPCError.Code? { (self as? RPCError)?.code }
}
