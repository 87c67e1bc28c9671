import Foundation
import Messages
import NIOHTTP1
import Supervision

/// An error as the Engine API answers it: a status and Docker's `{"message": …}` body.
public struct EngineErrorResponse: Error, Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var message: String

    public init(status: HTTPResponseStatus, message: String) {
        self.status = status
        self.message = message
    }
}

/// The one place where errors become HTTP statuses.
public enum ErrorMapping {
    /// A failure that ran out of disk space, whatever raised it, is a 507 (``EngineError/outOfSpace(_:)``).
    public static func response(for error: any Error) -> EngineErrorResponse {
        if !(error is EngineErrorResponse), let full = EngineError.outOfSpace(error) {
            return EngineErrorResponse(status: .insufficientStorage, message: full.message)
        }
        switch error {
        case let error as EngineErrorResponse:
            return error
        case let error as EngineError:
            return EngineErrorResponse(status: status(for: error.code), message: error.message)
        case let error as SupervisionError:
            return EngineErrorResponse(status: status(for: error), message: error.description)
        case let error as DecodingError:
            return EngineErrorResponse(status: .badRequest, message: "invalid JSON: \(describe(error))")
        case is CancellationError:
            return EngineErrorResponse(status: .serviceUnavailable, message: "the request was cancelled: berthd is shutting down")
        default:
            return EngineErrorResponse(status: .internalServerError, message: String(describing: error))
        }
    }

    static func status(for code: EngineError.Code) -> HTTPResponseStatus {
        switch code {
        case .invalidArgument: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notModified: .notModified
        case .unavailable: .serviceUnavailable
        case .notImplemented: .notImplemented
        case .tooLarge: .payloadTooLarge
        case .insufficientStorage: .insufficientStorage
        default: .internalServerError
        }
    }

    static func status(for error: SupervisionError) -> HTTPResponseStatus {
        switch error {
        case .unavailable, .notBack, .childTerminated: .serviceUnavailable
        case .timeout: .gatewayTimeout
        case .unknownChild: .notFound
        default: .internalServerError
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): context.debugDescription
        case .keyNotFound(let key, _): "missing field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default: String(describing: error)
        }
    }
}
