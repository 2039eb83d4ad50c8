set terminal pngcairo size 900,420 enhanced font 'DejaVu Sans,10'
set output 'cd_fashion_mnist.png'
set title "Fashion-MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 1.93 (alpha 0.05)"
unset ytics
set xrange [5:1] reverse
set yrange [-1:6]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,5.5 to 2.928987299076902,5.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 1.964493649538451,5.8 center
set label "deep\\_sad\\_labelled\\_0.20 (1.90)" at 1.9,0 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.10 (2.20)" at 2.2,1 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.05 (2.90)" at 2.9,2 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.01 (3.40)" at 3.4,3 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.00 (4.60)" at 4.6,4 left offset 1,0
set arrow from 1.9,-0.6 to 3.4,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.2,-0.72 to 3.4,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 2.9,-0.84 to 4.6,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 3.4,-0.96 to 4.6,-0.96 nohead lw 4 lc rgb 'red'
$R << EOD
1.9 0
2.2 1
2.9 2
3.4 3
4.6 4
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
set terminal svg size 900,420 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'cd_fashion_mnist.svg'
set title "Fashion-MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 1.93 (alpha 0.05)"
unset ytics
set xrange [5:1] reverse
set yrange [-1:6]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,5.5 to 2.928987299076902,5.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 1.964493649538451,5.8 center
set label "deep\\_sad\\_labelled\\_0.20 (1.90)" at 1.9,0 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.10 (2.20)" at 2.2,1 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.05 (2.90)" at 2.9,2 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.01 (3.40)" at 3.4,3 left offset 1,0
set label "deep\\_sad\\_labelled\\_0.00 (4.60)" at 4.6,4 left offset 1,0
set arrow from 1.9,-0.6 to 3.4,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.2,-0.72 to 3.4,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 2.9,-0.84 to 4.6,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 3.4,-0.96 to 4.6,-0.96 nohead lw 4 lc rgb 'red'
$R << EOD
1.9 0
2.2 1
2.9 2
3.4 3
4.6 4
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
