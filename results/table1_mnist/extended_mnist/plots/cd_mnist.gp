set terminal pngcairo size 900,420 enhanced font 'DejaVu Sans,10'
set output 'cd_mnist.png'
set title "MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 3.80 (alpha 0.05)"
unset ytics
set xrange [9:1] reverse
set yrange [-1:10]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,9.5 to 4.799158591056709,9.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 2.8995792955283544,9.8 center
set label "dasvdd (1.00)" at 1,0 left offset 1,0
set label "deep\\_sad (2.90)" at 2.9,1 left offset 1,0
set label "deep\\_svdd\\_one\\_class (3.10)" at 3.1,2 left offset 1,0
set label "deep\\_svdd\\_soft (4.10)" at 4.1,3 left offset 1,0
set label "ocsvm (5.30)" at 5.3,4 left offset 1,0
set label "isolation\\_forest (5.60)" at 5.6,5 left offset 1,0
set label "hybrid\\_svdd (6.00)" at 6,6 left offset 1,0
set label "kde (8.50)" at 8.5,7 left offset 1,0
set label "dcae (8.50)" at 8.5,8 left offset 1,0
set arrow from 1,-0.6 to 4.1,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.9,-0.72 to 6,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.84 to 6,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 4.1,-0.96 to 6,-0.96 nohead lw 4 lc rgb 'red'
set arrow from 5.3,-1.08 to 8.5,-1.08 nohead lw 4 lc rgb 'red'
set arrow from 5.6,-1.2000000000000002 to 8.5,-1.2000000000000002 nohead lw 4 lc rgb 'red'
set arrow from 6,-1.3200000000000003 to 8.5,-1.3200000000000003 nohead lw 4 lc rgb 'red'
set arrow from 8.5,-1.4400000000000004 to 8.5,-1.4400000000000004 nohead lw 4 lc rgb 'red'
$R << EOD
1 0
2.9 1
3.1 2
4.1 3
5.3 4
5.6 5
6 6
8.5 7
8.5 8
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
set terminal svg size 900,420 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'cd_mnist.svg'
set title "MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 3.80 (alpha 0.05)"
unset ytics
set xrange [9:1] reverse
set yrange [-1:10]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,9.5 to 4.799158591056709,9.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 2.8995792955283544,9.8 center
set label "dasvdd (1.00)" at 1,0 left offset 1,0
set label "deep\\_sad (2.90)" at 2.9,1 left offset 1,0
set label "deep\\_svdd\\_one\\_class (3.10)" at 3.1,2 left offset 1,0
set label "deep\\_svdd\\_soft (4.10)" at 4.1,3 left offset 1,0
set label "ocsvm (5.30)" at 5.3,4 left offset 1,0
set label "isolation\\_forest (5.60)" at 5.6,5 left offset 1,0
set label "hybrid\\_svdd (6.00)" at 6,6 left offset 1,0
set label "kde (8.50)" at 8.5,7 left offset 1,0
set label "dcae (8.50)" at 8.5,8 left offset 1,0
set arrow from 1,-0.6 to 4.1,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.9,-0.72 to 6,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.84 to 6,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 4.1,-0.96 to 6,-0.96 nohead lw 4 lc rgb 'red'
set arrow from 5.3,-1.08 to 8.5,-1.08 nohead lw 4 lc rgb 'red'
set arrow from 5.6,-1.2000000000000002 to 8.5,-1.2000000000000002 nohead lw 4 lc rgb 'red'
set arrow from 6,-1.3200000000000003 to 8.5,-1.3200000000000003 nohead lw 4 lc rgb 'red'
set arrow from 8.5,-1.4400000000000004 to 8.5,-1.4400000000000004 nohead lw 4 lc rgb 'red'
$R << EOD
1 0
2.9 1
3.1 2
4.1 3
5.3 4
5.6 5
6 6
8.5 7
8.5 8
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
