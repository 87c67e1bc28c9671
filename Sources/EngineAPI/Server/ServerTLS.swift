import Foundation
import NIOCore
import NIOSSL

/// The TLS of the API's TCP listeners, as dockerd's `--tls`, `--tlsverify`, `--tlscacert`, `--tlscert` and
/// `--tlskey` set it up: the server presents `certificate` (with `key`); with `verifyClients` (`--tlsverify`)
/// every client must present a certificate signed by the CA in `caCertificate`, or the handshake fails.
/// TLS 1.2 is the least version accepted (dockerd's `tlsconfig.ServerDefault`).
///
/// It applies to `tcp://` listeners and to inherited TCP sockets (`fd://`); unix sockets stay plain, as in
/// dockerd. What it does not do: reload certificates while the server runs, or check revocation.
public struct ServerTLS: Sendable {
    let context: NIOSSLContext
    /// Whether clients must present a certificate signed by the CA (`--tlsverify`).
    public let verifiesClients: Bool

    /// Loads the files; throws an ``HTTPServerError`` (`tlsSetupFailed`) naming the file that could not be
    /// read or used, in dockerd's words.
    ///
    /// - Parameter caCertificate: the CA bundle (PEM) that client certificates must chain to; required
    ///   when `verifyClients`, ignored otherwise.
    public init(certificate: String, key: String, caCertificate: String, verifyClients: Bool) throws {
        var configuration: TLSConfiguration
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(Self.read(certificate))
            let privateKey = try NIOSSLPrivateKey(bytes: Self.read(key), format: .pem)
            guard !chain.isEmpty else { throw HTTPServerError(code: .tlsSetupFailed, message: "no certificate in \(certificate)") }
            configuration = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        } catch {
            throw HTTPServerError(
                code: .tlsSetupFailed, message: "could not load X509 key pair (cert: \"\(certificate)\", key: \"\(key)\")", cause: error)
        }
        if verifyClients {
            do {
                let authorities = try NIOSSLCertificate.fromPEMBytes(Self.read(caCertificate))
                guard !authorities.isEmpty else { throw HTTPServerError(code: .tlsSetupFailed, message: "no certificate found") }
                configuration.trustRoots = .certificates(authorities)
                configuration.certificateVerification = .noHostnameVerification
                configuration.sendCANameList = true
            } catch {
                throw HTTPServerError(code: .tlsSetupFailed, message: "could not read CA certificate \"\(caCertificate)\"", cause: error)
            }
        }
        configuration.minimumTLSVersion = .tlsv12
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw HTTPServerError(code: .tlsSetupFailed, message: "invalid TLS configuration", cause: error)
        }
        self.verifiesClients = verifyClients
    }

    /// The handlers that put TLS under the HTTP pipeline of an accepted connection.
    func handlers() -> [any ChannelHandler] {
        [PlainHTTPRefusal(), NIOSSLServerHandler(context: self.context)]
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HTTPServerError(code: .tlsSetupFailed, message: "open \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file or directory")")
        }
        return Array(data)
    }
}
