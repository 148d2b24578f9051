/* linkedlist: singly linked lists over a custom fixed-size node allocator
 * (a bump region plus a LIFO free list, so after the first deletions the
 * nodes are scattered in memory). Each repetition builds a long list,
 * traverses it, reverses it, deletes a pseudo-random third of it, builds
 * a short sorted list by insertion, merges the two, and frees everything. */
#include "bench.h"

#define POOL_NODES 262144
#define LONG_LIST 150000
#define SORTED_LIST 1500

typedef struct node {
    struct node *next;
    uint64_t key;
    uint64_t payload;
} node;

typedef struct pool {
    node *free_list;
    size_t bump;
    size_t live;
    node nodes[POOL_NODES];
} pool;

static pool the_pool;

static node *node_alloc(pool *p)
{
    node *n = p->free_list;
    if (n) {
        p->free_list = n->next;
    } else {
        if (p->bump == POOL_NODES) {
            eput_str("linkedlist: node pool exhausted\n");
            sys_exit_group(1);
        }
        n = &p->nodes[p->bump++];
    }
    p->live++;
    return n;
}

static void node_free(pool *p, node *n)
{
    n->next = p->free_list;
    p->free_list = n;
    p->live--;
}

static uint64_t traverse(const node *n, long *count)
{
    uint64_t h = 0;
    long c = 0;
    for (; n; n = n->next) {
        h = h * 31 + (n->key ^ n->payload);
        c++;
    }
    *count = c;
    return h;
}

static node *reverse(node *n)
{
    node *prev = NULL;
    while (n) {
        node *next = n->next;
        n->next = prev;
        prev = n;
        n = next;
    }
    return prev;
}

/* Removes and frees every node whose key has (key >> 7) % 3 == which. */
static node *delete_some(pool *p, node *head, uint64_t which)
{
    node **link = &head;
    while (*link) {
        node *n = *link;
        if ((n->key >> 7) % 3 == which) {
            *link = n->next;
            node_free(p, n);
        } else {
            link = &n->next;
        }
    }
    return head;
}

static node *insert_sorted(node *head, node *n)
{
    node **link = &head;
    while (*link && (*link)->key < n->key)
        link = &(*link)->next;
    n->next = *link;
    *link = n;
    return head;
}

/* Merge sort of a list by key (top-down, split with slow/fast pointers). */
static node *merge(node *a, node *b)
{
    node head;
    node *tail = &head;
    while (a && b) {
        if (a->key <= b->key) {
            tail->next = a;
            a = a->next;
        } else {
            tail->next = b;
            b = b->next;
        }
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return head.next;
}

static node *sort_list(node *n)
{
    if (!n || !n->next)
        return n;
    node *slow = n, *fast = n->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    node *second = slow->next;
    slow->next = NULL;
    return merge(sort_list(n), sort_list(second));
}

static void free_all(pool *p, node *n)
{
    while (n) {
        node *next = n->next;
        node_free(p, n);
        n = next;
    }
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 8);
    pool *p = &the_pool;
    bench_rng rng = {0x5eed0007};
    uint64_t sum = 0;

    for (long r = 0; r < reps; r++) {
        node *list = NULL;
        for (long i = 0; i < LONG_LIST; i++) {
            node *n = node_alloc(p);
            n->key = rng_next(&rng) >> 16;
            n->payload = (uint64_t)i;
            n->next = list;
            list = n;
        }
        long count;
        sum = mix64(sum, traverse(list, &count));
        list = reverse(list);
        sum = mix64(sum, traverse(list, &count));
        list = delete_some(p, list, (uint64_t)(r % 3));
        sum = mix64(sum, traverse(list, &count));
        sum = mix64(sum, (uint64_t)count);

        node *sorted = NULL;
        for (long i = 0; i < SORTED_LIST; i++) {
            node *n = node_alloc(p);
            n->key = rng_next(&rng) >> 16;
            n->payload = (uint64_t)r;
            sorted = insert_sorted(sorted, n);
        }
        list = merge(sort_list(list), sorted);
        uint64_t prev = 0;
        long n = 0;
        for (node *q = list; q; q = q->next, n++) {
            if (q->key < prev) {
                rt_printf("linkedlist: merged list out of order at %ld\n", n);
                return 1;
            }
            prev = q->key;
        }
        sum = mix64(sum, traverse(list, &count));
        free_all(p, list);
        if (p->live != 0) {
            rt_printf("linkedlist: %lu nodes leaked\n", (unsigned long)p->live);
            return 1;
        }
    }
    return bench_done("linkedlist", reps, sum);
}
