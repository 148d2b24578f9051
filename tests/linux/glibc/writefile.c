/* Writing in a writable grant (--dir out:rw) and refusals in a read-only one (--dir data). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    FILE *f = fopen("out/result.txt", "w");
    if (!f) {
        printf("fopen: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 1; i <= 5; i++)
        fprintf(f, "line %d: %d\n", i, i * i);
    fclose(f);
    f = fopen("out/result.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    f = fopen("out/result.txt", "r");
    char line[64];
    while (fgets(line, sizeof line, f))
        printf("read back: %s", line);
    fclose(f);

    int fd = open("out/result.txt", O_RDWR);
    printf("ftruncate to 7: %d\n", ftruncate(fd, 7));
    struct stat st;
    fstat(fd, &st);
    printf("size now %lld\n", (long long)st.st_size);
    pwrite(fd, "XY", 2, 0);
    char buf[16] = {0};
    pread(fd, buf, 7, 0);
    printf("after pwrite: %s\n", buf);
    close(fd);
    printf("mkdir out/d: %d\n", mkdir("out/d", 0755));
    printf("rename: %d\n", rename("out/result.txt", "out/d/moved.txt"));
    printf("old name gone: %s\n", access("out/result.txt", F_OK) ? strerror(errno) : "still there");
    printf("unlink: %d\n", unlink("out/d/moved.txt"));
    printf("rmdir: %d\n", rmdir("out/d"));
    printf("create in read-only data: %s\n",
           open("data/x.txt", O_CREAT | O_WRONLY, 0644) < 0 ? strerror(errno) : "created");
    printf("unlink in read-only data: %s\n", unlink("data/in.txt") ? strerror(errno) : "removed");
    printf("create outside any grant: %s\n",
           open("elsewhere.txt", O_CREAT | O_WRONLY, 0644) < 0 ? strerror(errno) : "created");
    return 0;
}
