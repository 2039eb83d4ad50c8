set terminal pngcairo size 900,420 enhanced font 'DejaVu Sans,10'
set output 'cd_mnist.png'
set title "MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 2.38 (alpha 0.05)"
unset ytics
set xrange [6:1] reverse
set yrange [-1:7]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,6.5 to 3.3844810756221153,6.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 2.192240537811058,6.8 center
set label "deep\\_svdd\\_one\\_class (1.50)" at 1.5,0 left offset 1,0
set label "deep\\_svdd\\_soft (2.20)" at 2.2,1 left offset 1,0
set label "ocsvm (3.10)" at 3.1,2 left offset 1,0
set label "isolation\\_forest (3.20)" at 3.2,3 left offset 1,0
set label "kde (5.50)" at 5.5,4 left offset 1,0
set label "dcae (5.50)" at 5.5,5 left offset 1,0
set arrow from 1.5,-0.6 to 3.2,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.2,-0.72 to 3.2,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.84 to 3.2,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 3.2,-0.96 to 5.5,-0.96 nohead lw 4 lc rgb 'red'
set arrow from 5.5,-1.08 to 5.5,-1.08 nohead lw 4 lc rgb 'red'
$R << EOD
1.5 0
2.2 1
3.1 2
3.2 3
5.5 4
5.5 5
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
set terminal svg size 900,420 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'cd_mnist.svg'
set title "MNIST: average rank over 10 classes (1 = best); bar = Nemenyi CD 2.38 (alpha 0.05)"
unset ytics
set xrange [6:1] reverse
set yrange [-1:7]
unset key
set xlabel 'average rank'
set border 1
set xtics nomirror
set arrow from 1,6.5 to 3.3844810756221153,6.5 nohead lw 3 lc rgb 'black'
set label 'CD' at 2.192240537811058,6.8 center
set label "deep\\_svdd\\_one\\_class (1.50)" at 1.5,0 left offset 1,0
set label "deep\\_svdd\\_soft (2.20)" at 2.2,1 left offset 1,0
set label "ocsvm (3.10)" at 3.1,2 left offset 1,0
set label "isolation\\_forest (3.20)" at 3.2,3 left offset 1,0
set label "kde (5.50)" at 5.5,4 left offset 1,0
set label "dcae (5.50)" at 5.5,5 left offset 1,0
set arrow from 1.5,-0.6 to 3.2,-0.6 nohead lw 4 lc rgb 'red'
set arrow from 2.2,-0.72 to 3.2,-0.72 nohead lw 4 lc rgb 'red'
set arrow from 3.1,-0.84 to 3.2,-0.84 nohead lw 4 lc rgb 'red'
set arrow from 3.2,-0.96 to 5.5,-0.96 nohead lw 4 lc rgb 'red'
set arrow from 5.5,-1.08 to 5.5,-1.08 nohead lw 4 lc rgb 'red'
$R << EOD
1.5 0
2.2 1
3.1 2
3.2 3
5.5 4
5.5 5
EOD
plot $R using 1:2 with points pt 7 ps 1.5 lc rgb 'blue'

unset output
reset
