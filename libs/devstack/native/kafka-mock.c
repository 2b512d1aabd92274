/*
 * kafka-mock: a Kafka-protocol cluster for development and tests, built on librdkafka's mock
 * cluster (rdkafka_mock.h). No JVM, no container runtime.
 *
 * Usage: kafka-mock [--brokers N] [--topic name:partitions]...
 *
 * Protocol (one line each, so that a parent can await every command):
 *   stdout, once ready:  READY <bootstrap servers, comma-separated>
 *   stdin, commands:     broker-down <id> | broker-up <id> | rtt <id> <ms>
 *                        request-errors <apiKey> <errcode> [<errcode>...]
 *                        leader <topic> <partition> <brokerId>
 *                        create-topic <name> <partitions>
 *   stdout, per command: OK | ERR <message>
 *   stderr:              librdkafka logs and diagnostics
 *
 * Lifetime: exits on SIGTERM, SIGINT or SIGHUP, and when stdin reaches end of file, which is
 * what happens when the parent dies (its end of the pipe closes), even on SIGKILL. On Linux,
 * PR_SET_PDEATHSIG is a second safety net for a parent that dies while stdin is shared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_BROKERS 16
#define MAX_LINE 4096
#define MAX_ARGS 64
#define EXIT_USAGE 2

static rd_kafka_mock_cluster_t *cluster;
static int broker_count = 3;

static void reply(const char *format, ...) {
        va_list args;
        va_start(args, format);
        vfprintf(stdout, format, args);
        va_end(args);
        fputc('\n', stdout);
        fflush(stdout);
}

/* Parses a whole base-10 integer in [min, max]; returns 0 on success. */
static int parse_int(const char *text, long min, long max, long *out) {
        char *end;
        errno = 0;
        long value = strtol(text, &end, 10);
        if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
                return -1;
        *out = value;
        return 0;
}

/* Splits "name:partitions" into `name` (of size `size`); returns 0 on success. */
static int parse_topic_spec(const char *spec, char *name, size_t size, long *partitions) {
        const char *colon = strrchr(spec, ':');
        if (colon == NULL || colon == spec || (size_t)(colon - spec) >= size)
                return -1;
        memcpy(name, spec, (size_t)(colon - spec));
        name[colon - spec] = '\0';
        return parse_int(colon + 1, 1, 10000, partitions);
}

static rd_kafka_resp_err_t create_topic(const char *name, long partitions) {
        int replication = broker_count < 3 ? broker_count : 3;
        return rd_kafka_mock_topic_create(cluster, name, (int)partitions, replication);
}

static void reply_result(rd_kafka_resp_err_t err) {
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
                reply("OK");
        else
                reply("ERR %s", rd_kafka_err2str(err));
}

/*
 * The mock leaves Nagle's algorithm on, so a response written while an earlier one on the same
 * connection is unacknowledged waits for the client's delayed ACK (40 ms on Linux): pipelined
 * requests (produces of concurrent batches on one connection, a commit behind a heartbeat) stall.
 * Kafka brokers set TCP_NODELAY; setting it on the listening sockets gives every accepted
 * connection the same behaviour, as Linux copies the option to the accepted socket.
 */
static void disable_nagle_on_listeners(void) {
        for (int fd = 3; fd < 1024; fd++) {
                int listening = 0;
                int domain = 0;
                socklen_t size = sizeof(int);
                if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening)
                        continue;
                size = sizeof(int);
                if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) != 0 ||
                    (domain != AF_INET && domain != AF_INET6))
                        continue;
                int on = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
        }
}

static void run_command(int argc, char **argv) {
        const char *cmd = argv[0];
        long a, b;
        if (strcmp(cmd, "broker-down") == 0 && argc == 2 && !parse_int(argv[1], -1, INT_MAX, &a)) {
                reply_result(rd_kafka_mock_broker_set_down(cluster, (int32_t)a));
        } else if (strcmp(cmd, "broker-up") == 0 && argc == 2 &&
                   !parse_int(argv[1], -1, INT_MAX, &a)) {
                reply_result(rd_kafka_mock_broker_set_up(cluster, (int32_t)a));
                /* In case the broker came back with a new listening socket. */
                disable_nagle_on_listeners();
        } else if (strcmp(cmd, "rtt") == 0 && argc == 3 && !parse_int(argv[1], -1, INT_MAX, &a) &&
                   !parse_int(argv[2], 0, INT_MAX, &b)) {
                reply_result(rd_kafka_mock_broker_set_rtt(cluster, (int32_t)a, (int)b));
        } else if (strcmp(cmd, "request-errors") == 0 && argc >= 3 &&
                   !parse_int(argv[1], 0, SHRT_MAX, &a)) {
                rd_kafka_resp_err_t errors[MAX_ARGS];
                size_t count = 0;
                for (int i = 2; i < argc; i++) {
                        if (parse_int(argv[i], INT_MIN, INT_MAX, &b)) {
                                reply("ERR bad error code '%s'", argv[i]);
                                return;
                        }
                        errors[count++] = (rd_kafka_resp_err_t)b;
                }
                rd_kafka_mock_push_request_errors_array(cluster, (int16_t)a, count, errors);
                reply("OK");
        } else if (strcmp(cmd, "leader") == 0 && argc == 4 && !parse_int(argv[2], 0, INT_MAX, &a) &&
                   !parse_int(argv[3], -1, INT_MAX, &b)) {
                reply_result(
                    rd_kafka_mock_partition_set_leader(cluster, argv[1], (int32_t)a, (int32_t)b));
        } else if (strcmp(cmd, "create-topic") == 0 && argc == 3 &&
                   !parse_int(argv[2], 1, 10000, &a)) {
                reply_result(create_topic(argv[1], a));
        } else {
                reply("ERR unknown command or bad arguments: %s", cmd);
        }
}

static void run_line(char *line) {
        char *argv[MAX_ARGS];
        int argc = 0;
        char *save = NULL;
        for (char *token = strtok_r(line, " \t\r", &save); token != NULL && argc < MAX_ARGS;
             token = strtok_r(NULL, " \t\r", &save))
                argv[argc++] = token;
        if (argc > 0)
                run_command(argc, argv);
}

/* Reads what stdin has; runs each complete line. Returns -1 on end of file or error. */
static int drain_stdin(char *buffer, size_t *used) {
        ssize_t n = read(STDIN_FILENO, buffer + *used, MAX_LINE - 1 - *used);
        if (n < 0 && errno == EINTR)
                return 0;
        if (n <= 0)
                return -1;
        *used += (size_t)n;
        char *start = buffer;
        char *newline;
        while ((newline = memchr(start, '\n', *used - (size_t)(start - buffer))) != NULL) {
                *newline = '\0';
                run_line(start);
                start = newline + 1;
        }
        *used -= (size_t)(start - buffer);
        memmove(buffer, start, *used);
        if (*used == MAX_LINE - 1) {
                reply("ERR line too long");
                *used = 0;
        }
        return 0;
}

/* Blocks the stop signals in every thread (librdkafka's inherit the mask) and returns a
 * descriptor that becomes readable when one arrives, so the main loop can poll for it. */
static int stop_signal_fd(void) {
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &mask, NULL);
        return signalfd(-1, &mask, SFD_CLOEXEC);
}

static void log_to_stderr(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        fprintf(stderr, "kafka-mock: librdkafka %d %s: %s\n", level, fac, buf);
}

static rd_kafka_t *new_client(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set_log_cb(conf, log_to_stderr);
        /* The client only hosts the mock cluster; it never connects anywhere. */
        if (rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "kafka-mock: %s\n", errstr);
                return NULL;
        }
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (rk == NULL)
                fprintf(stderr, "kafka-mock: cannot create librdkafka client: %s\n", errstr);
        return rk;
}

static int parse_args(int argc, char **argv, char **topics, int *topic_count) {
        for (int i = 1; i < argc; i++) {
                long value;
                if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc &&
                    !parse_int(argv[i + 1], 1, MAX_BROKERS, &value)) {
                        broker_count = (int)value;
                        i++;
                } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc &&
                           *topic_count < MAX_ARGS) {
                        topics[(*topic_count)++] = argv[++i];
                } else {
                        fprintf(stderr,
                                "usage: kafka-mock [--brokers 1..%d] [--topic name:partitions]...\n"
                                "bad argument: %s\n",
                                MAX_BROKERS, argv[i]);
                        return -1;
                }
        }
        return 0;
}

static int create_topics(char **topics, int topic_count) {
        for (int i = 0; i < topic_count; i++) {
                char name[256];
                long partitions;
                if (parse_topic_spec(topics[i], name, sizeof(name), &partitions)) {
                        fprintf(stderr, "kafka-mock: bad topic spec '%s' (want name:partitions)\n",
                                topics[i]);
                        return -1;
                }
                rd_kafka_resp_err_t err = create_topic(name, partitions);
                if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                        fprintf(stderr, "kafka-mock: cannot create topic %s: %s\n", name,
                                rd_kafka_err2str(err));
                        return -1;
                }
        }
        return 0;
}

static void serve(int signal_fd) {
        char buffer[MAX_LINE];
        size_t used = 0;
        struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                {.fd = signal_fd, .events = POLLIN}};
        for (;;) {
                if (poll(fds, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("kafka-mock: poll");
                        return;
                }
                if (fds[1].revents & POLLIN)
                        return;
                if (fds[0].revents & (POLLIN | POLLHUP | POLLERR) &&
                    drain_stdin(buffer, &used) < 0)
                        return;
        }
}

int main(int argc, char **argv) {
        char *topics[MAX_ARGS];
        int topic_count = 0;
        if (parse_args(argc, argv, topics, &topic_count))
                return EXIT_USAGE;

        prctl(PR_SET_PDEATHSIG, SIGTERM);
        /* A parent that died before prctl took effect would never send the signal. */
        if (getppid() == 1)
                return EXIT_FAILURE;
        /* Writing a reply to a parent that is gone must end the process, not kill it mid-way. */
        signal(SIGPIPE, SIG_IGN);
        int signal_fd = stop_signal_fd();
        if (signal_fd < 0) {
                perror("kafka-mock: signalfd");
                return EXIT_FAILURE;
        }

        rd_kafka_t *rk = new_client();
        if (rk == NULL)
                return EXIT_FAILURE;
        cluster = rd_kafka_mock_cluster_new(rk, broker_count);
        if (cluster == NULL) {
                fprintf(stderr, "kafka-mock: cannot create the mock cluster\n");
                rd_kafka_destroy(rk);
                return EXIT_FAILURE;
        }
        disable_nagle_on_listeners();
        int status = EXIT_FAILURE;
        if (create_topics(topics, topic_count) == 0) {
                reply("READY %s", rd_kafka_mock_cluster_bootstraps(cluster));
                serve(signal_fd);
                status = EXIT_SUCCESS;
        }
        rd_kafka_mock_cluster_destroy(cluster);
        rd_kafka_destroy(rk);
        return status;
}
