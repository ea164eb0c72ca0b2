#pragma once
// A child process for the FIX tests that run a peer program on 127.0.0.1: started with
// posix_spawn, its first stdout line read, stopped with SIGTERM and reaped on destruction.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace fix_test {

/// A running child; `first_line` is its first stdout line (empty if it wrote none).
struct child_process {
    pid_t pid = -1;
    std::string first_line;

    /// Runs args[0] with `args`, stderr to `stderr_path`; ok() false when it could not start.
    child_process(std::vector<std::string> args, const std::string& stderr_path) {
        int out[2];
        if (::pipe(out) != 0) return;
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_addclose(&fa, out[0]);
        posix_spawn_file_actions_addopen(&fa, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid, args[0].c_str(), &fa, nullptr, argv.data(), environ) != 0) pid = -1;
        posix_spawn_file_actions_destroy(&fa);
        ::close(out[1]);
        char c = 0;
        while (pid > 0 && ::read(out[0], &c, 1) == 1 && c != '\n') first_line += c;
        ::close(out[0]);
    }
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;
    ~child_process() { (void)stop(); }

    /// True when the child started.
    [[nodiscard]] bool ok() const { return pid > 0; }

    /// SIGTERM, wait; the exit status (128 + signal when killed, -1 when not running).
    int stop() {
        if (pid <= 0) return -1;
        ::kill(pid, SIGTERM);
        return wait();
    }

    /// Waits for the child to end; its exit status as stop().
    int wait() {
        if (pid <= 0) return -1;
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
};

} // namespace fix_test
