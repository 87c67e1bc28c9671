import Messages
import NIOHTTP1

/// `POST /commit`: a container's changes as a new image.
enum CommitRoutes {
    static let all: [Route] = [Route(.POST, path: "/commit", handler: commit)]

    static func commit(_ context: RequestContext) async throws -> HTTPResponse {
        let request = context.request
        guard let container = request.query("container"), !container.isEmpty else {
            throw EngineErrorResponse(status: .badRequest, message: "container is required")
        }
        let repository = request.query("repo").flatMap { $0.isEmpty ? nil : $0 }
        let tag = request.query("tag").flatMap { $0.isEmpty ? nil : $0 }
        let options = CommitOptions(
            containerID: container, reference: repository.map { repository in tag.map { repository + ":" + $0 } ?? repository },
            comment: request.query("comment") ?? "", author: request.query("author") ?? "", changes: request.query["changes"] ?? [],
            pause: request.query("pause").map { _ in request.flag("pause") } ?? true)
        let id = try await ContainerRoutes.containers(context).ask(deadline: .transfer) { try await $0.commit(container, options: options) }
        return .json(["Id": .string(id)], status: .created)
    }
}
