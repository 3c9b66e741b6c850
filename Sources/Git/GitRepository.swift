import CGit2
import Foundation

/// An open git repository with a working tree, over libgit2.
///
/// A value of this type is used by one task at a time (libgit2 handles are not thread-safe);
/// open one per operation, it is cheap.
public final class GitRepository {
    let handle: OpaquePointer
    /// The working tree's absolute path, without a trailing slash.
    public let workingDirectory: String
    /// The `.git` directory's absolute path, without a trailing slash.
    public let gitDirectory: String

    /// Opens the repository whose working tree contains `path` (searching upwards, like git).
    public init(discoveringFrom path: String) throws {
        GitLibrary.ensureInitialised()
        var repository: OpaquePointer?
        let result = git_repository_open_ext(&repository, path, 0, nil)
        if result == GIT_ENOTFOUND.rawValue {
            throw GitError(code: .notARepository, operation: "open repository at \(path)",
                           hint: "run `git init` there first, or point Partner at a directory inside a git repository")
        }
        try gitCall(result, "open repository at \(path)")
        guard let repository else { throw GitError(code: .library, operation: "open repository at \(path)") }
        guard let workdir = git_repository_workdir(repository) else {
            git_repository_free(repository)
            throw GitError(code: .invalidState, operation: "open repository at \(path)",
                           hint: "it is a bare repository; Partner needs a working tree")
        }
        handle = repository
        workingDirectory = GitRepository.trimmingSlash(String(cString: workdir))
        gitDirectory = GitRepository.trimmingSlash(String(cString: git_repository_path(repository)))
    }

    /// Creates a new repository (`git init`) at `path`, or a bare one.
    @discardableResult
    public static func initialise(at path: String, bare: Bool = false, initialBranch: String = "main") throws -> String {
        GitLibrary.ensureInitialised()
        var options = git_repository_init_options()
        try gitCall(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                    "prepare repository init options")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | (bare ? GIT_REPOSITORY_INIT_BARE.rawValue : 0)
        var repository: OpaquePointer?
        try initialBranch.withCString { branch in
            options.initial_head = branch
            try gitCall(git_repository_init_ext(&repository, path, &options), "initialise repository at \(path)")
        }
        git_repository_free(repository)
        return path
    }

    deinit {
        git_repository_free(handle)
    }

    /// The short name of the checked-out branch, or nil when HEAD is detached.
    /// For a repository without commits this is the branch the first commit will create.
    public var currentBranch: String? {
        var head: OpaquePointer?
        if git_reference_lookup(&head, handle, "HEAD") < 0 { return nil }
        defer { git_reference_free(head) }
        guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(head) else {
            return nil
        }
        let name = String(cString: target)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
    }

    /// The id of the commit HEAD points to, or nil when the repository has no commits yet.
    public func headCommitID() throws -> String? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, handle, "HEAD")
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EUNBORNBRANCH.rawValue { return nil }
        try gitCall(result, "resolve HEAD")
        return oid.hex
    }

    /// Resolves a revision (`HEAD`, a branch, an id) to a commit id.
    public func resolveCommit(_ revision: String) throws -> String {
        let commit = try lookupCommit(revision)
        defer { git_commit_free(commit) }
        return git_commit_id(commit).pointee.hex
    }

    // MARK: Internal helpers shared by the extensions

    /// Looks up a commit by revision; the caller frees it.
    func lookupCommit(_ revision: String) throws -> OpaquePointer {
        var object: OpaquePointer?
        try gitCall(git_revparse_single(&object, handle, revision), "find revision \(revision)",
                    hint: "check the name with git_log or git_branch")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try gitCall(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "peel \(revision) to a commit")
        return commit!
    }

    /// HEAD's commit, or nil when unborn; the caller frees it.
    func headCommit() throws -> OpaquePointer? {
        guard let id = try headCommitID() else { return nil }
        var oid = try git_oid.parse(id)
        var commit: OpaquePointer?
        try gitCall(git_commit_lookup(&commit, handle, &oid), "look up HEAD commit")
        return commit
    }

    /// HEAD's tree, or nil when unborn; the caller frees it.
    func headTree() throws -> OpaquePointer? {
        guard let commit = try headCommit() else { return nil }
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try gitCall(git_commit_tree(&tree, commit), "read HEAD tree")
        return tree
    }

    func lookupTree(_ oid: git_oid) throws -> OpaquePointer {
        var copy = oid
        var tree: OpaquePointer?
        try gitCall(git_tree_lookup(&tree, handle, &copy), "look up tree \(oid.hex)")
        return tree!
    }

    /// The repository's own index (the one `git add` writes); the caller frees it.
    func repositoryIndex() throws -> OpaquePointer {
        var index: OpaquePointer?
        try gitCall(git_repository_index(&index, handle), "open the index")
        return index!
    }

    /// The signature for new commits: the repository's configured user, else a fixed Partner identity.
    func signature() throws -> UnsafeMutablePointer<git_signature> {
        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, handle) == 0, let signature { return signature }
        try gitCall(git_signature_now(&signature, "Partner", "partner@localhost"), "create commit signature")
        return signature!
    }

    static func trimmingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
