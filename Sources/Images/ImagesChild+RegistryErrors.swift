import Messages
import Registry

extension RegistryError {
    /// The registry's answer as the error category the API maps to a status.
    var engineError: EngineError {
        switch code {
        case .unauthorized: EngineError(.unauthorized, message)
        case .notFound: .notFound(message)
        case .invalidDigest, .invalidArgument, .tooLarge: .invalidArgument(message)
        case .unavailable: .unavailable(message)
        default: .internal(message)
        }
    }
}

extension ImagesChild {
    /// Runs a registry exchange, turning its errors into `EngineError`s.
    func talkingToRegistry<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RegistryError {
            throw error.engineError
        }
    }
}
