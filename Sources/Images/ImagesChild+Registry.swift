import Messages

extension ImagesChild {
    public func pull(_ name: String, auth: RegistryAuth?, progress: ProgressSink) async throws {
        throw EngineError.notImplemented("pulling images (\(name)) is not implemented by berthd yet")
    }

    public func push(_ name: String, tag: String?, auth: RegistryAuth?, progress: ProgressSink) async throws {
        throw EngineError.notImplemented("pushing images (\(name)) is not implemented by berthd yet")
    }

    public func login(_ auth: RegistryAuth) async throws -> String {
        throw EngineError.notImplemented("docker login is not implemented by berthd yet")
    }
}
