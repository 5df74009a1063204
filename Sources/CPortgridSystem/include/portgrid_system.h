#ifndef PORTGRID_SYSTEM_H
#define PORTGRID_SYSTEM_H

// Kernel interfaces Swift's Glibc module leaves out. Including them from a C target lets the Swift
// importer lay the structs out exactly as the C compiler does (epoll_event is packed on x86-64),
// instead of engine code writing bytes at hand-computed offsets. Declarations only: no code here.

// epoll_create1, epoll_ctl, epoll_wait, struct epoll_event, epoll_data_t, EPOLL* constants.
#include <sys/epoll.h>

// struct sockaddr_ll, PACKET_IGNORE_OUTGOING (glibc's copy, so it cannot clash with <sys/socket.h>).
#include <netpacket/packet.h>

// ETH_P_IP and the other EtherType numbers, for AF_PACKET sockets.
#include <linux/if_ether.h>

// struct sock_filter, struct sock_fprog, BPF_* opcodes, for SO_ATTACH_FILTER.
#include <linux/filter.h>

// struct sock_extended_err, SO_EE_ORIGIN_ICMP/ICMP6: what IP_RECVERR queues.
#include <linux/errqueue.h>

// malloc_trim: glibc keeps freed heap pages mapped unless asked to give them back; mallopt(M_ARENA_MAX).
#include <malloc.h>

// CAP_NET_RAW and the other capability numbers.
#include <linux/capability.h>

// Names the calling thread (15 bytes kept) as /proc/PID/task/TID/comm and top -H show it:
// prctl is variadic and pthread_setname_np needs _GNU_SOURCE, so Swift can call neither. In shim.c.
int portgrid_name_thread(const char *name);

// fflush(stdout) and fflush(stderr): Swift 6 refuses to read C's mutable globals stdout and stderr.
// In shim.c.
void portgrid_flush_standard_streams(void);

#endif
