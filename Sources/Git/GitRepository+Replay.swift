import CGit2
import Foundation

extension GitRepository {
    /// Makes a fresh working tree at `destination` (which must not exist) holding `commit` of
    /// the repository that contains `source`, HEAD detached there: the starting state of a
    /// recorded session, for a replay. The new repository borrows the source's objects
    /// (`objects/info/alternates`) instead of copying them, so it is quick on large
    /// repositories and finds commits no branch points to any more.
    public static func materialise(commit: String, from source: String, at destination: String) throws -> GitRepository {
        let origin = try GitRepository(discoveringFrom: source)
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw GitError(code: .invalidState, operation: "create a working tree at \(destination)",
                           hint: "it exists already; choose a new directory")
        }
        try initialise(at: destination)
        let commonDirectory = GitRepository.trimmingSlash(String(cString: git_repository_commondir(origin.handle)))
        let alternates = destination + "/.git/objects/info/alternates"
        do {
            try Data((commonDirectory + "/objects\n").utf8).write(to: URL(fileURLWithPath: alternates))
        } catch {
            throw GitError(code: .invalidState, operation: "write \(alternates)", hint: "\(error.localizedDescription)")
        }
        let repository = try GitRepository(discoveringFrom: destination)
        var oid = try git_oid.parse(commit)
        try gitCall(git_repository_set_head_detached(repository.handle, &oid), "check out commit \(commit)",
                    hint: "the commit is not in \(origin.workingDirectory) any more (garbage-collected, or another clone)")
        var options = git_checkout_options()
        try gitCall(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare checkout options")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        try gitCall(git_checkout_head(repository.handle, &options), "check out commit \(commit)")
        return repository
    }

    /// Applies a unified diff (as `diff(.all, includeUntracked: true)` writes it) to the
    /// working tree, as `git apply` would: every hunk applies, or nothing changes.
    public func applyToWorkingTree(_ patch: String) throws {
        guard !patch.isEmpty else { return }
        var diff: OpaquePointer?
        try gitCall(git_diff_from_buffer(&diff, patch, patch.utf8.count), "read the recorded diff")
        defer { git_diff_free(diff) }
        try gitCall(git_apply(handle, diff, GIT_APPLY_LOCATION_WORKDIR, nil), "apply the recorded uncommitted changes",
                    hint: "binary changes are recorded without their content and cannot be applied; replay with --workspace on a prepared copy")
    }
}
