set terminal pngcairo size 900,420 enhanced font 'DejaVu Sans,10'
set output 'cd_fashion_mnist.png'
set title "Fashion-MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 3.80 (alpha 0.05)"
unset ytics
set xrange [9:1] reverse
set yrange [-1:10]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,9.5 to 4.799158591056709,9.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 2.8995792955283544,9.8 center
set label "hybrid\\_svdd (2.20)" at 2.2,0 left offset 1,0
set label "dasvdd (2.70)" at 2.7,1 left offset 1,0
set label "deep\\_svdd\\_one\\_class (3.10)" at 3.1,2 left offset 1,0
set label "deep\\_sad (3.10)" at 3.1,3 left offset 1,0
set label "deep\\_svdd\\_soft (5.30)" at 5.3,4 left offset 1,0
set label "kde (6.00)" at 6,5 left offset 1,0
set label "ocsvm (6.70)" at 6.7,6 left offset 1,0
set label "isolation\\_forest (7.80)" at 7.8,7 left offset 1,0
set label "dcae (8.10)" at 8.1,8 left offset 1,0
set arrow from 2.2,-0.6 to 5.3,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.7,-0.72 to 6,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.84 to 6.7,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.96 to 6.7,-0.96 nohead lw 4 lc rgb 'red'
set arrow from 5.3,-1.08 to 8.1,-1.08 nohead lw 4 lc rgb 'red'
set arrow from 6,-1.2000000000000002 to 8.1,-1.2000000000000002 nohead lw 4 lc rgb 'red'
set arrow from 6.7,-1.3200000000000003 to 8.1,-1.3200000000000003 nohead lw 4 lc rgb 'red'
set arrow from 7.8,-1.4400000000000004 to 8.1,-1.4400000000000004 nohead lw 4 lc rgb 'red'
$R << EOD
2.2 0
2.7 1
3.1 2
3.1 3
5.3 4
6 5
6.7 6
7.8 7
8.1 8
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
set terminal svg size 900,420 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'cd_fashion_mnist.svg'
set title "Fashion-MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 3.80 (alpha 0.05)"
unset ytics
set xrange [9:1] reverse
set yrange [-1:10]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,9.5 to 4.799158591056709,9.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 2.8995792955283544,9.8 center
set label "hybrid\\_svdd (2.20)" at 2.2,0 left offset 1,0
set label "dasvdd (2.70)" at 2.7,1 left offset 1,0
set label "deep\\_svdd\\_one\\_class (3.10)" at 3.1,2 left offset 1,0
set label "deep\\_sad (3.10)" at 3.1,3 left offset 1,0
set label "deep\\_svdd\\_soft (5.30)" at 5.3,4 left offset 1,0
set label "kde (6.00)" at 6,5 left offset 1,0
set label "ocsvm (6.70)" at 6.7,6 left offset 1,0
set label "isolation\\_forest (7.80)" at 7.8,7 left offset 1,0
set label "dcae (8.10)" at 8.1,8 left offset 1,0
set arrow from 2.2,-0.6 to 5.3,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.7,-0.72 to 6,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.84 to 6.7,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.96 to 6.7,-0.96 nohead lw 4 lc rgb 'red'
set arrow from 5.3,-1.08 to 8.1,-1.08 nohead lw 4 lc rgb 'red'
set arrow from 6,-1.2000000000000002 to 8.1,-1.2000000000000002 nohead lw 4 lc rgb 'red'
set arrow from 6.7,-1.3200000000000003 to 8.1,-1.3200000000000003 nohead lw 4 lc rgb 'red'
set arrow from 7.8,-1.4400000000000004 to 8.1,-1.4400000000000004 nohead lw 4 lc rgb 'red'
$R << EOD
2.2 0
2.7 1
3.1 2
3.1 3
5.3 4
6 5
6.7 6
7.8 7
8.1 8
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
