/*
 * stunload: a STUN Binding load generator for bench/rendezvous.sh.
 *
 *   stunload HOST PORT SECONDS THREADS WINDOW
 *
 * Each thread owns a UDP socket and keeps WINDOW plain 20-byte Binding requests outstanding
 * (sendmmsg/recvmmsg in batches), stamping the send time into the transaction id; a response
 * whose transaction id it sent counts, and its round trip goes into a latency histogram (1 us
 * buckets up to 100 ms). Lost requests are resent when nothing came back for 20 ms. Prints one
 * line: "responses_per_s p50_us p99_us bytes_per_response".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define BUCKETS 100000

static struct sockaddr_in target;
static double seconds;
static int window;

struct result { uint64_t responses; uint64_t bytes; uint64_t hist[BUCKETS]; };

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void request(unsigned char *b, uint64_t stamp, uint32_t tag) {
    memset(b, 0, 20);
    b[1] = 0x01;                                  /* Binding request, length 0 */
    b[4] = 0x21; b[5] = 0x12; b[6] = 0xa4; b[7] = 0x42;
    memcpy(b + 8, &stamp, 8);
    memcpy(b + 16, &tag, 4);
}

static void *run(void *arg) {
    struct result *r = arg;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    if (connect(fd, (struct sockaddr *) &target, sizeof target) != 0) { perror("connect"); exit(1); }
    uint32_t tag = (uint32_t) (uintptr_t) r;
    unsigned char out[BATCH][20], in[BATCH][256];
    struct mmsghdr smsg[BATCH], rmsg[BATCH];
    struct iovec siov[BATCH], riov[BATCH];
    for (int i = 0; i < BATCH; i++) {
        siov[i] = (struct iovec) {out[i], 20};
        riov[i] = (struct iovec) {in[i], sizeof in[i]};
        memset(&smsg[i], 0, sizeof smsg[i]);
        memset(&rmsg[i], 0, sizeof rmsg[i]);
        smsg[i].msg_hdr.msg_iov = &siov[i]; smsg[i].msg_hdr.msg_iovlen = 1;
        rmsg[i].msg_hdr.msg_iov = &riov[i]; rmsg[i].msg_hdr.msg_iovlen = 1;
    }
    uint64_t start = now_ns(), end = start + (uint64_t) (seconds * 1e9), last_rx = start;
    int outstanding = 0;
    while (now_ns() < end) {
        int n = window - outstanding;
        if (n > BATCH) n = BATCH;
        if (n > 0) {
            uint64_t t = now_ns();
            for (int i = 0; i < n; i++) request(out[i], t, tag);
            int sent = sendmmsg(fd, smsg, n, 0);
            if (sent > 0) outstanding += sent;
        }
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 20) <= 0) {                 /* 20 ms of silence: the window was lost */
            if (now_ns() - last_rx > 20000000ull) outstanding = 0;
            continue;
        }
        int got = recvmmsg(fd, rmsg, BATCH, MSG_DONTWAIT, NULL);
        uint64_t t = now_ns();
        for (int i = 0; i < got; i++) {
            uint32_t back;
            uint64_t stamp;
            memcpy(&stamp, in[i] + 8, 8);
            memcpy(&back, in[i] + 16, 4);
            if (rmsg[i].msg_len < 20 || back != tag) continue;
            r->responses++;
            r->bytes += rmsg[i].msg_len;
            uint64_t us = (t - stamp) / 1000;
            r->hist[us < BUCKETS ? us : BUCKETS - 1]++;
            outstanding--;
            last_rx = t;
        }
        if (outstanding < 0) outstanding = 0;
    }
    close(fd);
    return NULL;
}

static uint64_t percentile(struct result *all, uint64_t total, double q) {
    uint64_t want = (uint64_t) (total * q), seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
        seen += all->hist[i];
        if (seen > want) return (uint64_t) i;
    }
    return BUCKETS;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: stunload HOST PORT SECONDS THREADS WINDOW\n"); return 2; }
    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t) atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &target.sin_addr) != 1) { fprintf(stderr, "bad address\n"); return 2; }
    seconds = atof(argv[3]);
    int threads = atoi(argv[4]);
    window = atoi(argv[5]);
    struct result *r = calloc((size_t) threads, sizeof *r);
    struct result *all = calloc(1, sizeof *all);
    pthread_t *t = calloc((size_t) threads, sizeof *t);
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, run, &r[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < threads; i++) {
        all->responses += r[i].responses;
        all->bytes += r[i].bytes;
        for (int b = 0; b < BUCKETS; b++) all->hist[b] += r[i].hist[b];
    }
    if (all->responses == 0) { printf("0 0 0 0\n"); return 1; }
    printf("%.0f %llu %llu %llu\n", all->responses / seconds,
           (unsigned long long) percentile(all, all->responses, 0.50),
           (unsigned long long) percentile(all, all->responses, 0.99),
           (unsigned long long) (all->bytes / all->responses));
    return 0;
}
