/* printf of floats and libm (needs F and D). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double x = 1.5;
    printf("%f %e %g %.10f\n", x, x * 1e10, x / 3, 1.0 / 3);
    printf("sqrt %.12f sin %.12f exp %.12f log %.12f pow %.6f\n", sqrt(2.0), sin(1.0), exp(1.0),
           log(10.0), pow(2.0, 0.5));
    float f = 3.14159f;
    printf("float %f %.2f %a\n", f, f * 2, (double)f);
    printf("strtod %.6f atof %.3f\n", strtod("2.718281828", NULL), atof("-1e-3"));
    printf("inf %f nan %f -0 %f\n", INFINITY, NAN, -0.0);
    double acc = 0;
    for (int i = 1; i <= 1000; i++)
        acc += 1.0 / ((double)i * i);
    printf("sum 1/i^2 = %.15f\n", acc);
    printf("floor %.1f ceil %.1f round %.1f fmod %.3f\n", floor(-2.5), ceil(-2.5), round(2.5),
           fmod(10.0, 3.3));
    return 0;
}
